import { AppError } from '../common/app-error';
import type { ErrorCode } from '../common/error-codes';
import type { KubeClient } from '../kubernetes/kube-client';
import { findService, ProxiedService, serviceProxyGet } from '../kubernetes/service-proxy';
import { TelemetrySource, WELL_KNOWN_PROMETHEUS } from './telemetry-source';
import {
  PrometheusAnswer,
  PrometheusRequest,
  PrometheusTransport,
  timedOut,
  answerTooLarge,
} from './prometheus-transport';

/** The API server's answers about the proxied call, as telemetry codes (details stay out). */
const FROM_CLUSTER: Partial<Record<ErrorCode, ErrorCode>> = {
  CLUSTER_UNREACHABLE: 'PROMETHEUS_UNREACHABLE',
  CLUSTER_AUTH_FAILED: 'PROMETHEUS_AUTH_FAILED',
  K8S_FORBIDDEN: 'PROMETHEUS_AUTH_FAILED',
  K8S_NOT_FOUND: 'PROMETHEUS_NOT_FOUND',
  K8S_INVALID: 'PROMETHEUS_BAD_QUERY',
};

function fromCluster(error: unknown, timeoutMs: number): AppError {
  if (!(error instanceof AppError)) return new AppError('PROMETHEUS_ERROR', 'Prometheus failed');
  if (error.code === 'CLUSTER_TIMEOUT') return timedOut(timeoutMs);
  const code = FROM_CLUSTER[error.code] ?? 'PROMETHEUS_ERROR';
  return new AppError(code, `Through the API server's service proxy: ${error.message}`);
}

/**
 * An in-cluster Prometheus through the API server's service proxy, with the cluster's own
 * credentials (it needs `get` on `services/proxy`; the Helm chart's role for it is opt-in).
 * The Service is the configured one or the first well-known name found, looked up once.
 */
export class ProxyTransport implements PrometheusTransport {
  private service: Promise<ProxiedService> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly source: Extract<TelemetrySource, { type: 'inCluster' }>,
  ) {}

  async get(req: PrometheusRequest): Promise<PrometheusAnswer> {
    const service = await this.find(req.timeoutMs);
    let body: string;
    try {
      body = await serviceProxyGet(
        this.client,
        service,
        req.path,
        req.params,
        req.timeoutMs,
        req.signal,
      );
    } catch (error) {
      throw fromCluster(error, req.timeoutMs);
    }
    if (Buffer.byteLength(body) > req.maxBytes) throw answerTooLarge(req.maxBytes);
    return { status: 200, body };
  }

  async close(): Promise<void> {}

  private find(timeoutMs: number): Promise<ProxiedService> {
    this.service ??= this.lookup(timeoutMs).catch((error: unknown) => {
      this.service = undefined;
      throw error;
    });
    return this.service;
  }

  private async lookup(timeoutMs: number): Promise<ProxiedService> {
    const named = this.source.service;
    const candidates = named ? [named] : WELL_KNOWN_PROMETHEUS;
    let found: ProxiedService | undefined;
    try {
      found = await findService(this.client, candidates, timeoutMs);
    } catch (error) {
      throw fromCluster(error, timeoutMs);
    }
    if (!found)
      throw new AppError(
        'PROMETHEUS_NOT_FOUND',
        named
          ? `No Service ${named.namespace}/${named.name} in the cluster`
          : 'No Prometheus Service found: monitoring/prometheus-k8s, prometheus-server, prometheus-operated',
      );
    return named?.port ? { ...found, port: named.port } : found;
  }
}
