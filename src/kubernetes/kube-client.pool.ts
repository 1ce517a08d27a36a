import { Injectable } from '@nestjs/common';
import { ConfigProvider } from '../config/config.provider';
import { ClusterConnection } from './cluster-connection';
import { buildKubeConfig } from './kubeconfig-builder';
import { KubeClient } from './kube-client';

/**
 * One KubeClient per cluster, reused across requests (client-node keeps its TLS dispatcher per
 * config, so connections are pooled). The registry drops an entry whenever the cluster changes.
 */
@Injectable()
export class KubeClientPool {
  private readonly clients = new Map<string, { fingerprint: string; client: KubeClient }>();

  constructor(private readonly configProvider: ConfigProvider) {}

  /** `fingerprint` identifies the connection version (e.g. updatedAt) so a changed cluster gets a new client. */
  get(clusterId: string, connection: ClusterConnection, fingerprint: string): KubeClient {
    const cached = this.clients.get(clusterId);
    if (cached && cached.fingerprint === fingerprint) return cached.client;
    const timeoutMs = this.configProvider.config.kubernetes.requestTimeoutSeconds * 1000;
    const client = new KubeClient(clusterId, buildKubeConfig(clusterId, connection), timeoutMs);
    this.clients.set(clusterId, { fingerprint, client });
    return client;
  }

  drop(clusterId: string): void {
    this.clients.delete(clusterId);
  }
}
