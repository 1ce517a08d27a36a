import { AppError } from '../common/app-error';
import type { ErrorCode } from '../common/error-codes';

/** The parts of a Kubernetes `Status` object CloudPilot relays. */
interface K8sStatus {
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    kind?: string;
    causes?: Array<{ field?: string; message?: string; reason?: string }>;
    retryAfterSeconds?: number;
  };
}

function parseStatus(body: string | undefined): K8sStatus {
  if (!body) return {};
  try {
    const parsed = JSON.parse(body) as K8sStatus & { kind?: string };
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** The API server's own message is safe to relay (it never contains request headers); cap its size anyway. */
function relay(message: string | undefined, fallback: string): string {
  return (message ?? fallback).slice(0, 1000);
}

/** Retry-After of a 429: whole seconds (the form the API server sends), at least 1. */
function retryAfterSeconds(header: string | null, fromStatus: number | undefined): number {
  const seconds = Math.ceil(Number(header ?? fromStatus ?? 1));
  return Number.isFinite(seconds) && seconds >= 1 ? seconds : 1;
}

type Details = Record<string, unknown>;

/** The answers relayed with the API server's own message: status → code and the fallback message. */
const RELAYED: Record<number, { code: ErrorCode; fallback: (cluster: string) => string }> = {
  400: { code: 'K8S_INVALID', fallback: () => 'The API server rejected the request as invalid' },
  422: { code: 'K8S_INVALID', fallback: () => 'The API server rejected the request as invalid' },
  403: {
    code: 'K8S_FORBIDDEN',
    fallback: (c) => `Cluster ${c} does not allow this action for CloudPilot's credential`,
  },
  404: { code: 'K8S_NOT_FOUND', fallback: () => 'Not found' },
  409: { code: 'K8S_CONFLICT', fallback: () => 'Conflict' },
  410: { code: 'K8S_GONE', fallback: () => 'The requested resourceVersion is too old (410 Gone)' },
};

/**
 * Maps a non-2xx answer of a cluster's API server to CloudPilot's stable codes. 401 means the
 * cluster rejected the credential itself (a registry problem, 502); 403 is RBAC for this action.
 */
export function mapK8sResponse(
  cluster: string,
  status: number,
  body: string | undefined,
  retryAfter: string | null,
): AppError {
  const s = parseStatus(body);
  const details: Details = {
    cluster,
    reason: s.reason,
    kind: s.details?.kind,
    name: s.details?.name,
    causes: s.details?.causes,
  };
  const relayed = RELAYED[status];
  if (relayed) {
    const extra = status === 410 ? { reason: 'Expired' } : {};
    const message = relay(s.message, relayed.fallback(cluster));
    return new AppError(relayed.code, message, { ...details, ...extra });
  }
  if (status === 401)
    return new AppError(
      'CLUSTER_AUTH_FAILED',
      `Cluster ${cluster} rejected CloudPilot's credential`,
      { cluster },
    );
  if (status === 429) return throttled(cluster, details, retryAfter, s);
  if (status === 504)
    return new AppError('CLUSTER_TIMEOUT', `Cluster ${cluster} timed out serving the request`, {
      cluster,
    });
  return new AppError('CLUSTER_ERROR', `Cluster ${cluster} answered HTTP ${status}`, {
    ...details,
    status,
  });
}

/** A 429 (API Priority and Fairness): the code and the Retry-After the client should honour. */
function throttled(
  cluster: string,
  details: Details,
  retryAfter: string | null,
  s: K8sStatus,
): AppError {
  const seconds = retryAfterSeconds(retryAfter, s.details?.retryAfterSeconds);
  return new AppError(
    'K8S_THROTTLED',
    `Cluster ${cluster} is throttling requests`,
    { ...details, retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** An AppError raised inside the socket (the address guard in its lookup), wrapped by fetch. */
function appErrorIn(error: unknown): AppError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof AppError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps a failure to get any answer (network, TLS, deadline). The original error is never relayed:
 * client-node and undici messages can embed request details. Only a short, known code is kept.
 */
export function mapK8sTransportError(
  cluster: string,
  error: unknown,
  deadlineExceeded: boolean,
): AppError {
  const refused = appErrorIn(error);
  if (refused) return refused;
  const code = errorCode(error);
  if (
    deadlineExceeded ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'ETIMEDOUT'
  ) {
    return new AppError(
      'CLUSTER_TIMEOUT',
      `Cluster ${cluster} did not answer within the deadline`,
      { cluster },
    );
  }
  if (
    code &&
    (code.startsWith('ERR_TLS') ||
      code.includes('CERT') ||
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
      code === 'SELF_SIGNED_CERT_IN_CHAIN')
  ) {
    return new AppError(
      'CLUSTER_UNREACHABLE',
      `TLS handshake with cluster ${cluster} failed (${code})`,
      { cluster, cause: code },
    );
  }
  // A dying server ends HTTP/2 sessions (GOAWAY, stream resets) before its sockets close.
  const known =
    code && (UNREACHABLE_CODES.has(code) || code.startsWith('ERR_HTTP2')) ? code : 'NETWORK_ERROR';
  return new AppError('CLUSTER_UNREACHABLE', `Cluster ${cluster} is unreachable (${known})`, {
    cluster,
    cause: known,
  });
}
