import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from '@kubernetes/client-node';
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
      throw mapK8sResponse(this.clusterId, response.httpStatusCode, text, response.headers['retry-after'] ?? null);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw mapK8sTransportError(this.clusterId, error, deadline.aborted);
    }
  }

  private async context(req: K8sRequest, signal: AbortSignal): Promise<RequestContext> {
    const url = new URL(req.path, this.server.endsWith('/') ? this.server : `${this.server}/`);
    // Keep a path prefix of the server URL (e.g. a proxy at https://host/k8s/clusters/x).
    url.pathname = `${new URL(this.server).pathname.replace(/\/$/, '')}${req.path}`;
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const context = new RequestContext(url.toString(), HttpMethod[req.method ?? 'GET']);
    context.setHeaderParam('Accept', req.accept ?? 'application/json');
    if (req.body !== undefined) {
      context.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
      context.setBody(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    }
    await this.kc.applySecurityAuthentication(context);
    context.setSignal(signal);
    return context;
  }
}
