import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { connectionPolicy } from '../cluster-registry/cluster-mapping';
import { ConfigProvider } from '../config/config.provider';
import type { KubeClient } from '../kubernetes/kube-client';
import { HttpTransport } from './http-transport';
import { PrometheusClient, QueryLimits } from './prometheus-client';
import { ProxyTransport } from './proxy-transport';
import { TelemetrySources } from './telemetry-sources';

/** Never buffered whole beyond this, whatever the series cap allows. */
const MAX_ANSWER_BYTES = 64 * 1048576;

interface Entry {
  fingerprint: string;
  /** In-cluster sources ride on the cluster's client: a changed connection is a new one. */
  kube: KubeClient | undefined;
  client: PrometheusClient;
}

/**
 * One PrometheusClient per cluster, rebuilt when its source (or, for an in-cluster source, the
 * cluster's connection) changes, so each keeps its keep-alive connections between requests.
 */
@Injectable()
export class PrometheusConnections implements OnModuleDestroy {
  private readonly clients = new Map<string, Entry>();

  constructor(
    private readonly sources: TelemetrySources,
    private readonly directory: ClusterDirectory,
    private readonly configProvider: ConfigProvider,
  ) {}

  get limits(): QueryLimits {
    const t = this.configProvider.config.telemetry;
    return {
      timeoutMs: t.queryTimeoutSeconds * 1000,
      maxSeries: t.maxSeries,
      maxPoints: t.maxPoints,
      maxBytes: MAX_ANSWER_BYTES,
    };
  }

  /** The cluster's client; undefined when it has no source (not configured). */
  async client(clusterId: string): Promise<PrometheusClient | undefined> {
    const stored = await this.sources.get(clusterId);
    if (!stored) {
      this.forget(clusterId);
      return undefined;
    }
    const { source, fingerprint } = stored;
    const kube = source.type === 'inCluster' ? await this.directory.client(clusterId) : undefined;
    const cached = this.clients.get(clusterId);
    if (cached && cached.fingerprint === fingerprint && cached.kube === kube) return cached.client;
    const transport =
      source.type === 'url'
        ? new HttpTransport(source, connectionPolicy(this.configProvider))
        : new ProxyTransport(kube!, source);
    const client = new PrometheusClient(transport, this.limits);
    this.forget(clusterId);
    this.clients.set(clusterId, { fingerprint, kube, client });
    return client;
  }

  /** Drops the cluster's client and closes its connections (a new source, or none). */
  forget(clusterId: string): void {
    const cached = this.clients.get(clusterId);
    this.clients.delete(clusterId);
    void cached?.client.close().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(
      [...this.clients.values()].map((e) => e.client.close().catch(() => undefined)),
    );
    this.clients.clear();
  }
}
