import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError } from '../common/app-error';
import type { ConnectionPolicy } from '../kubernetes/cluster-connection';
import { ResolvedAddressGuard } from '../kubernetes/resolved-address-guard';
import { assertSafeServerUrl } from '../kubernetes/server-url-guard';

/** Who may be called: targets on this host only when the operator allows it (tests do). */
export interface OutboundPolicy {
  allowLoopback: boolean;
}

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface OutboundResponse {
  status: number;
  /** The first bytes of the answer, for the delivery's last error; never the request. */
  body: string;
}

/** Why a request got no answer: a stable reason for the delivery row, never the URL. */
export class OutboundError extends Error {
  constructor(
    readonly reason: 'timeout' | 'refused-address' | 'connection',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

const ANSWER_BYTES = 512;

/**
 * The one adapter for HTTP calls to systems people configure as notification targets (webhooks,
 * Slack, CloudEvents sinks, Alertmanager). A target URL is untrusted input: it passes the same
 * guards as a cluster URL when it is stored and again on every call, and the socket dials only
 * addresses that passed them (DNS rebinding included). Every call has one deadline for connect,
 * send and answer; redirects are not followed.
 */
export class OutboundHttp {
  private readonly policy: ConnectionPolicy;
  private readonly guard: ResolvedAddressGuard;

  constructor(policy: OutboundPolicy) {
    this.policy = {
      allowLoopback: policy.allowLoopback,
      allowPlainHttpLoopback: policy.allowLoopback,
      allowInsecureSkipTlsVerify: false,
    };
    this.guard = new ResolvedAddressGuard(this.policy);
  }

  /** The URL parsed, or TARGET_URL_REFUSED saying why (never quoting the URL, it may hold a key). */
  check(url: string): URL {
    try {
      return assertSafeServerUrl(url, this.policy);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(
        'TARGET_URL_REFUSED',
        error.message.replace(/cluster (URL|host)/, 'target $1').replace(/API servers/, 'targets'),
      );
    }
  }

  post(req: OutboundRequest): Promise<OutboundResponse> {
    let url: URL;
    try {
      url = this.check(req.url);
    } catch (error) {
      return Promise.reject(new OutboundError('refused-address', (error as Error).message));
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const call = send(url, {
        method: 'POST',
        headers: { ...req.headers, 'Content-Length': Buffer.byteLength(req.body) },
        lookup: this.guard.lookup,
        signal: AbortSignal.timeout(req.timeoutMs),
      });
      call.on('response', (res) => readAnswer(res).then(resolve, reject));
      call.on('error', (error) => reject(outboundError(error, req.timeoutMs)));
      call.end(req.body);
    });
  }
}

function readAnswer(res: IncomingMessage): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (body.length < ANSWER_BYTES) body += chunk;
    });
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, body: body.slice(0, ANSWER_BYTES) }),
    );
    res.on('error', (error) => reject(outboundError(error, 0)));
  });
}

function outboundError(error: Error & { code?: string }, timeoutMs: number): OutboundError {
  if (error.name === 'AbortError' || error.name === 'TimeoutError')
    return new OutboundError('timeout', `no answer within ${timeoutMs} ms`);
  if (error instanceof AppError) return new OutboundError('refused-address', error.message);
  // The code (ECONNREFUSED, ENOTFOUND…) says enough; messages can carry the host.
  return new OutboundError('connection', `connection failed (${error.code ?? error.name})`);
}
