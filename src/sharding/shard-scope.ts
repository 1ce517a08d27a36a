import { asyncScope } from '../common/async-scope';

/** What a fleet answer needs of the request it serves, to ask the other replicas on its behalf. */
export interface ShardScope {
  authorization: string;
  requestId: string;
  /** Set on a fleet question another replica forwarded: exactly the clusters to answer here. */
  clusters?: ReadonlySet<string>;
}

export const shardScope = asyncScope<ShardScope>();

/** Requests that arrived on the internal port with a valid signature, and who forwarded them. */
export const forwardedRequests = new WeakMap<object, { from: string; clusters?: Set<string> }>();
