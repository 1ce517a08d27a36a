import { Agent, request } from 'undici';
import { AppError } from '../common/app-error';
import type { ConnectionPolicy } from '../kubernetes/cluster-connection';
import { ResolvedAddressGuard } from '../kubernetes/resolved-address-guard';
import type { PrometheusAuth } from './telemetry-source';
import {
  PrometheusAnswer,
  PrometheusRequest,
  PrometheusTransport,
  timedOut,
  answerTooLarge,
} from './prometheus-transport';

export interface HttpTarget {
  /** Checked by assertSafeServerUrl when stored; its DNS answers are checked at every connect. */
  url: string;
  auth: PrometheusAuth;
  caData?: string;
  tlsServerName?: string;
}

function authorization(auth: PrometheusAuth): Record<string, string> {
  if (auth.type === 'bearer') return { authorization: `Bearer ${auth.token}` };
  if (auth.type === 'basic') {
    const pair = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
    return { authorization: `Basic ${pair}` };
  }
  return {};
}

/** The AppError inside an undici failure (the address guard refuses through the socket's lookup). */
function guardRefusal(error: unknown): AppError | undefined {
  for (let e = error as { cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e instanceof AppError) return e;
  return undefined;
}

/**
 * The query API by URL: one keep-alive agent per source whose sockets resolve through the same
 * address guard as cluster connections (DNS rebinding included), the source's CA, and its
 * credential as a header. The answer is read up to `maxBytes`, then the request is aborted.
 */
export class HttpTransport implements PrometheusTransport {
  private readonly agent: Agent;
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(target: HttpTarget, policy: ConnectionPolicy) {
    this.base = target.url.replace(/\/+$/, '');
    this.headers = {
      ...authorization(target.auth),
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    this.agent = new Agent({
      connect: {
        ca: target.caData ? Buffer.from(target.caData, 'base64').toString('utf8') : undefined,
        servername: target.tlsServerName,
        lookup: new ResolvedAddressGuard(policy).lookup,
      },
    });
  }

  async get(req: PrometheusRequest): Promise<PrometheusAnswer> {
    const deadline = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    try {
      // POST takes PromQL of any length; every Prometheus-compatible API accepts it.
      const answer = await request(`${this.base}${req.path}`, {
        method: 'POST',
        headers: this.headers,
        body: new URLSearchParams(req.params).toString(),
        dispatcher: this.agent,
        signal,
      });
      return { status: answer.statusCode, body: await readCapped(answer.body, req.maxBytes) };
    } catch (error) {
      if (error instanceof AppError) throw error;
      const refusal = guardRefusal(error);
      if (refusal) throw refusal;
      if (deadline.aborted) throw timedOut(req.timeoutMs);
      throw new AppError('PROMETHEUS_UNREACHABLE', 'Prometheus cannot be reached');
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw answerTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
