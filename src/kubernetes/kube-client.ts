import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { AppError } from '../common/app-error';
import { mapK8sResponse, mapK8sTransportError } from './k8s-error-mapping';
import { ResolvedAddressGuard } from './resolved-address-guard';

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

/**
 * The one cluster-aware request function. Every call has a deadline; every failure leaves as an
 * AppError with a stable code and never with client-node's own message (it embeds headers).
 */
export class KubeClient {
  constructor(
    readonly clusterId: string,
    private readonly kc: KubeConfig,
    private readonly defaultTimeoutMs: number,
    /** Absent only for CloudPilot's own in-cluster identity, whose address is trusted. */
    private readonly addressGuard?: ResolvedAddressGuard,
  ) {}

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
    let response;
    try {
      await this.addressGuard?.assertSafe(this.clusterId);
      const context = await this.context(req, signal);
      response = await http.send(context).toPromise();
      const text = await response.body.text();
      if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) return text;
      throw mapK8sResponse(
        this.clusterId,
        response.httpStatusCode,
        text,
        response.headers['retry-after'] ?? null,
      );
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw mapK8sTransportError(this.clusterId, error, deadline.aborted);
    }
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
      await this.addressGuard?.assertSafe(this.clusterId);
      const response = await http.send(await this.context(req, signal)).toPromise();
      if (response.httpStatusCode < 200 || response.httpStatusCode >= 300) {
        throw mapK8sResponse(
          this.clusterId,
          response.httpStatusCode,
          await response.body.text(),
          response.headers['retry-after'] ?? null,
        );
      }
      const body = response.body.stream();
      if (!body)
        throw new AppError(
          'CLUSTER_ERROR',
          `Cluster ${this.clusterId} answered a watch without a body`,
          { cluster: this.clusterId },
        );
      return { body, close: () => controller.abort() };
    } catch (error) {
      controller.abort();
      if (error instanceof AppError) throw error;
      throw mapK8sTransportError(this.clusterId, error, headersLate);
    } finally {
      clearTimeout(deadline);
    }
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
    await this.kc.applySecurityAuthentication(context);
    context.setSignal(signal);
    return context;
  }
}
