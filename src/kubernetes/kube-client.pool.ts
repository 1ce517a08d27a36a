import { Injectable } from '@nestjs/common';
import { ConfigProvider } from '../config/config.provider';
import { ClusterConnection, ConnectionPolicy } from './cluster-connection';
import { ResolvedAddressGuard } from './resolved-address-guard';
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
  /** `policy`: the address rules the connection was accepted under, enforced again on every DNS answer. */
  get(
    clusterId: string,
    connection: ClusterConnection,
    fingerprint: string,
    policy: ConnectionPolicy,
  ): KubeClient {
    const cached = this.clients.get(clusterId);
    if (cached && cached.fingerprint === fingerprint) return cached.client;
    const timeoutMs = this.configProvider.config.kubernetes.requestTimeoutSeconds * 1000;
    const guard =
      connection.auth.type === 'inCluster'
        ? undefined
        : new ResolvedAddressGuard(new URL(connection.server).hostname, policy);
    const client = new KubeClient(
      clusterId,
      buildKubeConfig(clusterId, connection),
      timeoutMs,
      guard,
    );
    this.clients.set(clusterId, { fingerprint, client });
    return client;
  }

  drop(clusterId: string): void {
    this.clients.delete(clusterId);
  }
}
