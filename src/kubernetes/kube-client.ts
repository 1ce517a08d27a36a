import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';
import { Agent } from 'undici';
import { AppError } from '../common/app-error';
import { mapK8sResponse, mapK8sTransportError } from './k8s-error-mapping';
import { ResolvedAddressGuard } from './resolved-address-guard';
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

/** An open stream; `close()` aborts the request and releases its connection. */
export interface K8sStream {
  body: ReadableStream<Uint8Array>;
  close(): void;
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
 * kube-apiserver does): client-node would build a new agent, hence a new TLS connection, for every
 * request. The agent's sockets resolve the host through the address guard, so the address
 * checked is the address connected.
 */
export class KubeClient {
  private agent: Promise<Agent> | undefined;
  private readonly openStreams = new Map<symbol, string>();
  private throttled = 0;

  constructor(
    readonly clusterId: string,
    private readonly kc: KubeConfig,
    private readonly defaultTimeoutMs: number,
    /** Absent only for CloudPilot's own in-cluster identity, whose address is trusted. */
    private readonly addressGuard?: ResolvedAddressGuard,
  ) {}

  /** Closes the pooled connections; in-flight requests and open watches finish first. */
  async close(): Promise<void> {
    const agent = await this.agent?.catch(() => undefined);
    this.agent = undefined;
    await agent?.close();
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
    throw this.failure(response, text);
  }

  /** The AppError of a non-2xx answer. */
  private failure(response: ResponseContext, text: string): AppError {
    if (response.httpStatusCode === 429) this.throttled += 1;
    return mapK8sResponse(
      this.clusterId,
      response.httpStatusCode,
      text,
      response.headers['retry-after'] ?? null,
    );
  }

  private async send(
    req: K8sRequest | K8sStreamRequest,
    signal: AbortSignal,
  ): Promise<ResponseContext> {
    return http.send(await this.context(req, signal)).toPromise();
  }

  /**
   * Opens a long-lived GET whose body is read as it arrives (watches), on the same authentication,
   * TLS and address checks as request(). Only the wait for the headers has a deadline: a watch
   * legitimately stays open for minutes, so the caller detects a silent stream itself.
   * Non-2xx answers and transport failures throw AppErrors exactly as request() does.
   */
  async stream(req: K8sStreamRequest): Promise<K8sStream> {
    const controller = new AbortController();
    const signal = req.signal
      ? AbortSignal.any([controller.signal, req.signal])
      : controller.signal;
    let headersLate = false;
    const deadline = setTimeout(() => {
      headersLate = true;
      controller.abort();
    }, req.connectTimeoutMs ?? this.defaultTimeoutMs);
    try {
      const response = await this.send(req, signal);
      if (response.httpStatusCode < 200 || response.httpStatusCode >= 300)
        throw this.failure(response, await response.body.text());
      const body = response.body.stream();
      if (!body)
        throw new AppError(
          'CLUSTER_ERROR',
          `Cluster ${this.clusterId} answered a watch without a body`,
          { cluster: this.clusterId },
        );
      return this.tracked(req.path, body, controller);
    } catch (error) {
      controller.abort();
      if (error instanceof AppError) throw error;
      throw mapK8sTransportError(this.clusterId, error, headersLate);
    } finally {
      clearTimeout(deadline);
    }
  }

  /**
   * Paths of the streams this client holds open (watches, followed logs). Streams share pooled,
   * multiplexed connections, so a socket count cannot say whether a stream was let go: this can.
   */
  openStreamPaths(): string[] {
    return [...this.openStreams.values()];
  }

  /** Registers an open stream until it is closed by its reader or ends by itself. */
  private tracked(
    path: string,
    body: ReadableStream<Uint8Array>,
    controller: AbortController,
  ): K8sStream {
    const id = Symbol(path);
    this.openStreams.set(id, path);
    const release = (): void => {
      this.openStreams.delete(id);
    };
    const ended = body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ flush: release }));
    return {
      body: ended,
      close: () => {
        release();
        controller.abort();
      },
    };
  }

  private async context(
    req: K8sRequest | K8sStreamRequest,
    signal: AbortSignal,
  ): Promise<RequestContext> {
    const url = new URL(req.path, this.server.endsWith('/') ? this.server : `${this.server}/`);
    // Keep a path prefix of the server URL (e.g. a proxy at https://host/k8s/clusters/x).
    url.pathname = `${new URL(this.server).pathname.replace(/\/$/, '')}${req.path}`;
    for (const [key, value] of Object.entries(req.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const context = new RequestContext(
      url.toString(),
      HttpMethod['method' in req ? (req.method ?? 'GET') : 'GET'],
    );
    context.setHeaderParam('Accept', req.accept ?? 'application/json');
    if ('body' in req && req.body !== undefined) {
      context.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
      context.setBody(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    }
    // Credentials as headers only; the TLS material lives in the shared agent.
    const auth: RequestOptions = {};
    await this.kc.applyToHTTPSOptions(auth);
    for (const [name, value] of Object.entries(auth.headers ?? {}))
      if (value !== undefined) context.setHeaderParam(name, String(value));
    context.setDispatcher((await this.dispatcher()) as never);
    context.setSignal(signal);
    return context;
  }

  private dispatcher(): Promise<Agent> {
    this.agent ??= this.createAgent().catch((error: unknown) => {
      this.agent = undefined;
      throw error;
    });
    return this.agent;
  }

  private async createAgent(): Promise<Agent> {
    const tls: RequestOptions = {};
    await this.kc.applyToHTTPSOptions(tls);
    if (this.server.startsWith('http:') && !this.kc.getCurrentCluster()?.skipTLSVerify)
      // client-node's own rule, kept: plain http only where the registry allowed it for loopback.
      throw new AppError('CLUSTER_URL_INSECURE_SCHEME', 'Plain http needs skipTLSVerify');
    return new Agent({
      connect: {
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: tls.rejectUnauthorized,
        servername: tls.servername,
        // Like client-go: probe idle connections before cloud load balancers drop them (60 s).
        keepAlive: true,
        keepAliveInitialDelay: 30_000,
        lookup: this.addressGuard?.lookup,
      },
    });
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
