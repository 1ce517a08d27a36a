import { AsyncLocalStorage } from 'node:async_hooks';

/** What a fleet answer needs of the request it serves, to ask the other replicas on its behalf. */
export interface ShardScope {
  authorization: string;
  requestId: string;
  /** Set on a fleet question another replica forwarded: exactly the clusters to answer here. */
  clusters?: ReadonlySet<string>;
}

const storage = new AsyncLocalStorage<ShardScope>();

export const shardScope = {
  run<T>(scope: ShardScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  current(): ShardScope | undefined {
    return storage.getStore();
  },
};

/** Requests that arrived on the internal port with a valid signature, and who forwarded them. */
export const forwardedRequests = new WeakMap<object, { from: string; clusters?: Set<string> }>();
