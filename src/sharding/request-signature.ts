import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a request one replica forwards to another (lower case, as Node reads them). */
export const SHARD_HEADERS = {
  from: 'x-cloudpilot-shard-from',
  at: 'x-cloudpilot-shard-at',
  signature: 'x-cloudpilot-shard-signature',
  /** On a forwarded fleet question: the cluster ids the receiving replica answers. */
  clusters: 'x-cloudpilot-shard-clusters',
} as const;

/** A forwarded request older (or newer) than this is refused: a captured one cannot be replayed later. */
export const MAX_SKEW_MS = 30_000;

/** What a signature covers: who forwards, when, and the request as the owner will serve it. */
export interface SignedRequest {
  from: string;
  at: string;
  method: string;
  url: string;
  requestId: string;
  authorization: string;
  clusters: string;
}

export function sign(secret: string, request: SignedRequest): string {
  const { from, at, method, url, requestId, authorization, clusters } = request;
  return createHmac('sha256', secret)
    .update([from, at, method, url, requestId, authorization, clusters].join('\n'))
    .digest('hex');
}

/** True when the signature is the secret's for this request and it was signed within MAX_SKEW_MS. */
export function verify(
  secret: string,
  request: SignedRequest,
  signature: string,
  now = Date.now(),
): boolean {
  const at = Number(request.at);
  if (!Number.isFinite(at) || Math.abs(now - at) > MAX_SKEW_MS) return false;
  const expected = Buffer.from(sign(secret, request), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
