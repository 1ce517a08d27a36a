import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import type { Agent } from 'undici';
import { AppError } from '../common/app-error';
import { ChunkStream, followAbort, openChunkStream } from './chunk-stream';
import { ClientCredentials, clientCredentials } from './client-credentials';
import { mapK8sResponse, mapK8sTransportError } from './k8s-error-mapping';
import { ResolvedAddressGuard } from './resolved-address-guard';
import { K8sStream, OpenStreams } from './open-streams';
import { newAgent, SharedAgents } from './shared-agents';
import { throttleDelayMs } from './throttle';

export interface K8sRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Overrides the cluster's default deadline for this request. */
  timeoutMs?: number;
  /** Caller cancellation (e.g. the HTTP client went away). */
  signal?: AbortSignal;
}

/** A streaming GET (a watch): no overall deadline, only one for the response headers. */
export interface K8sStreamRequest extends Omit<
  K8sRequest,
  'method' | 'body' | 'contentType' | 'timeoutMs'
> {
  /** Deadline for connecting and receiving the response headers; the cluster's default when absent. */
  connectTimeoutMs?: number;
}

export type { K8sStream };

interface RequestTarget {
  url: URL;
  origin: string;
  path: string;
  headers: Record<string, string>;
}

const http = new IsomorphicFetchHttpLibrary();

/** A throttled request is retried this many times at most, each wait capped (see throttle.ts). */
export const THROTTLE_RETRIES = 3;

/** What the API server answered one client, counted at the HTTP layer (tests, benchmarks). */
export interface KubeClientStats {
  /** 429 answers (API Priority and Fairness rejections), each retried one counted again. */
  throttled: number;
}

/**
 * The one cluster-aware request function. Every call has a deadline; every failure leaves as an
 * AppError with a stable code and never with client-node's own message (it embeds headers).
 *
 * All requests of a client share one keep-alive agent (HTTP/2 when the API server offers it, as
 * kube-apiserver does), and with SharedAgents so do all clients of the same server and TLS
 * identity: client-node would build a new agent, hence a new TLS connection, for every request.
 * The agent's sockets resolve the host through the address guard, so the address checked is the
 * address connected.
 */
export class KubeClient {
  private agent: Promise<Agent> | undefined;
  private releaseShared: (() => Promise<void>) | undefined;
  private readonly openStreams = new OpenStreams();
  private throttled = 0;
  private readonly credentials: ClientCredentials;

  constructor(
    readonly clusterId: string,
    private readonly kc: KubeConfig,
    private readonly defaultTimeoutMs: number,
    /** Absent only for CloudPilot's own in-cluster identity, whose address is trusted. */
    private readonly addressGuard?: ResolvedAddressGuard,
    /** Where clients connecting the same way share one agent; absent: this client's own. */
    private readonly agents?: SharedAgents,
  ) {
    this.credentials = clientCredentials(kc);
  }

  /** Closes the pooled connections (or lets go of shared ones); open requests finish first. */
  async close(): Promise<void> {
    const agent = await this.agent?.catch(() => undefined);
    this.agent = undefined;
    const release = this.releaseShared;
    this.releaseShared = undefined;
    await (release ? release() : agent?.close());
  }

  get stats(): KubeClientStats {
    return { throttled: this.throttled };
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  /** The API server's /version: the cheapest request that proves it answers. */
  version(timeoutMs?: number): Promise<{ gitVersion?: string; platform?: string }> {
    return this.request({ path: '/version', timeoutMs });
  }

  /** Sends one request and parses the JSON answer; throws AppError for non-2xx and transport failures. */
  async request<T>(req: K8sRequest): Promise<T> {
    const text = await this.requestText(req);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async requestText(req: K8sRequest): Promise<string> {
    const deadline = AbortSignal.timeout(req.timeoutMs ?? this.defaultTimeoutMs);
    const signal = req.signal ? AbortSignal.any([deadline, req.signal]) : deadline;
    const deadlineAt = Date.now() + (req.timeoutMs ?? this.defaultTimeoutMs);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attemptText(req, signal);
      } catch (error) {
        if (!(error instanceof AppError))
          throw mapK8sTransportError(this.clusterId, error, deadline.aborted);
        // A 429 was refused before any work (API Priority and Fairness), so any verb may be resent.
        const wait = throttleDelayMs(error, attempt, THROTTLE_RETRIES, deadlineAt - Date.now());
        if (wait === undefined) throw error;
        await sleep(wait, signal).catch((reason: unknown) => {
          throw mapK8sTransportError(this.clusterId, reason, deadline.aborted);
        });
      }
    }
  }

  private async attemptText(req: K8sRequest, signal: AbortSignal): Promise<string> {
    const response = await this.send(req, signal);
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) return text;
    throw this.failure(response.httpStatusCode, text, response.headers['retry-after']);
  }

  /** The AppError of a non-2xx answer. */
  private failure(status: number, text: string, retryAfter: unknown): AppError {
    if (status === 429) this.throttled += 1;
    const after = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
    return mapK8sResponse(this.clusterId, status, text, typeof after === 'string' ? after : null);
  }

  private async send(req: K8sRequest, signal: AbortSignal): Promise<ResponseContext> {
    return http.send(await this.context(req, signal)).toPromise();
  }

  /**
   * Opens a long-lived GET whose body is read as it arrives (watches), on the same authentication,
   * TLS and address checks as request(). Only the wait for the headers has a deadline: a watch
   * legitimately stays open for minutes, so the caller detects a silent stream itself.
   * Non-2xx answers and transport failures throw AppErrors exactly as request() does.
   */
  async stream(req: K8sStreamRequest): Promise<K8sStream> {
    // One controller per stream, cancelled by the caller's signal through a listener rather than
    // AbortSignal.any, whose combined signal and weak references were kept for every open watch.
    const controller = new AbortController();
    const unfollow = followAbort(req.signal, (reason) => controller.abort(reason));
    let headersLate = false;
    const deadline = setTimeout(() => {
      headersLate = true;
      controller.abort();
    }, req.connectTimeoutMs ?? this.defaultTimeoutMs);
    try {
      // The agent's own request API, not fetch: no Request, Response or web streams per watch.
      const { origin, path, headers } = await this.target(req);
      const dispatcher = await this.dispatcher();
      const signal = controller.signal;
      const response = await dispatcher.request({ origin, path, method: 'GET', headers, signal });
      const { statusCode, body } = response;
      if (statusCode < 200 || statusCode >= 300)
        throw this.failure(statusCode, await body.text(), response.headers['retry-after']);
      body.once('close', unfollow);
      return this.openStreams.track(req.path, body, controller);
    } catch (error) {
      unfollow();
      controller.abort();
      if (error instanceof AppError) throw error;
      throw mapK8sTransportError(this.clusterId, error, headersLate);
    } finally {
      clearTimeout(deadline);
    }
  }

  /**
   * A long-lived GET read chunk by chunk (watches): the same checks, deadline and errors as
   * stream(), without a response stream per request (see ChunkHandler).
   */
  async streamChunks(req: K8sStreamRequest): Promise<ChunkStream> {
    const [{ origin, path, headers }, dispatcher] = await Promise.all([
      this.target(req),
      this.dispatcher(),
    ]).catch((error: unknown) => {
      throw error instanceof AppError ? error : mapK8sTransportError(this.clusterId, error, false);
    });
    return openChunkStream({
      dispatch: (handler) => dispatcher.dispatch({ origin, path, method: 'GET', headers }, handler),
      headersTimeoutMs: req.connectTimeoutMs ?? this.defaultTimeoutMs,
      signal: req.signal,
      hold: () => this.openStreams.hold(req.path),
      refusal: ({ statusCode, text, retryAfter }) => this.failure(statusCode, text, retryAfter),
      failure: (error, headersLate) => mapK8sTransportError(this.clusterId, error, headersLate),
    });
  }

  /** Paths of the streams this client holds open (watches, followed logs): see OpenStreams. */
  openStreamPaths(): string[] {
    return this.openStreams.paths();
  }

  private async context(req: K8sRequest, signal: AbortSignal): Promise<RequestContext> {
    const { url, headers } = await this.target(req);
    const context = new RequestContext(url.toString(), HttpMethod[req.method ?? 'GET']);
    for (const [name, value] of Object.entries(headers)) context.setHeaderParam(name, value);
    if (req.body !== undefined) {
      context.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
      context.setBody(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    }
    context.setDispatcher((await this.dispatcher()) as never);
    context.setSignal(signal);
    return context;
  }

  /** Where a request goes, and its Accept and credential headers. */
  private async target(req: K8sRequest | K8sStreamRequest): Promise<RequestTarget> {
    const url = new URL(req.path, this.server.endsWith('/') ? this.server : `${this.server}/`);
    // Keep a path prefix of the server URL (e.g. a proxy at https://host/k8s/clusters/x).
    url.pathname = `${new URL(this.server).pathname.replace(/\/$/, '')}${req.path}`;
    for (const [key, value] of Object.entries(req.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    // Credentials as headers only; the TLS material lives in the (shared) agent.
    const headers = await this.credentials.headers();
    headers.Accept = req.accept ?? 'application/json';
    return { url, origin: url.origin, path: `${url.pathname}${url.search}`, headers };
  }

  private dispatcher(): Promise<Agent> {
    this.agent ??= this.createAgent().catch((error: unknown) => {
      this.agent = undefined;
      throw error;
    });
    return this.agent;
  }

  private async createAgent(): Promise<Agent> {
    const tls = await this.credentials.tls();
    if (this.server.startsWith('http:') && !this.kc.getCurrentCluster()?.skipTLSVerify)
      // client-node's own rule, kept: plain http only where the registry allowed it for loopback.
      throw new AppError('CLUSTER_URL_INSECURE_SCHEME', 'Plain http needs skipTLSVerify');
    const lookup = this.addressGuard?.lookup;
    if (!this.agents) return newAgent(tls, lookup);
    const { ca, cert, key, rejectUnauthorized, servername } = tls;
    const addressRules = this.addressGuard?.rules ?? '';
    const identity = {
      server: this.server,
      ca,
      cert,
      key,
      rejectUnauthorized,
      servername,
      addressRules,
    };
    const shared = this.agents.acquire(identity, () => newAgent(tls, lookup));
    this.releaseShared = shared.release;
    return shared.agent;
  }
}

/** A wait that the request's deadline or cancellation cuts short (rejecting with its reason). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
