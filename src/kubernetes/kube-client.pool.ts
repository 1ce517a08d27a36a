import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigProvider } from '../config/config.provider';
import { ClusterConnection, ConnectionPolicy } from './cluster-connection';
import { ResolvedAddressGuard } from './resolved-address-guard';
import { buildKubeConfig } from './kubeconfig-builder';
import { KubeClient } from './kube-client';
import { SharedAgents } from './shared-agents';

/** How long shutdown waits for requests still open (a log followed, a stream) before going on. */
const SHUTDOWN_WAIT_MS = 2_000;

/**
 * One KubeClient per cluster, reused across requests so its keep-alive agent is too. Clients that
 * reach the same API server with the same TLS identity share one agent (SharedAgents), so their
 * watches multiplex on the same HTTP/2 connections. The registry drops an entry whenever the
 * cluster changes.
 */
@Injectable()
export class KubeClientPool implements OnApplicationShutdown {
  private readonly clients = new Map<string, { fingerprint: string; client: KubeClient }>();
  private readonly agents = new SharedAgents();

  constructor(private readonly configProvider: ConfigProvider) {}

  /**
   * The cluster's client. `fingerprint` identifies the connection version (e.g. updatedAt) so a
   * changed cluster gets a new client; `connection` is only called to build one, so a stored
   * credential is decrypted once per client, not on every call. `policy`: the address rules the
   * connection was accepted under, enforced again on every DNS answer its sockets use.
   */
  get(
    clusterId: string,
    connection: ClusterConnection | (() => ClusterConnection),
    fingerprint: string,
    policy: ConnectionPolicy,
  ): KubeClient {
    const cached = this.clients.get(clusterId);
    if (cached && cached.fingerprint === fingerprint) return cached.client;
    const opened = typeof connection === 'function' ? connection() : connection;
    const timeoutMs = this.configProvider.config.kubernetes.requestTimeoutSeconds * 1000;
    const guard = opened.auth.type === 'inCluster' ? undefined : new ResolvedAddressGuard(policy);
    const kc = buildKubeConfig(clusterId, opened);
    const client = new KubeClient(clusterId, kc, timeoutMs, guard, this.agents);
    // A replaced client is not closed: a running cache may still hold it (a renamed cluster keeps
    // its watches); its idle connections close by themselves after the keep-alive timeout.
    this.clients.set(clusterId, { fingerprint, client });
    return client;
  }

  /** Forgets the cluster's client, so the next get() builds one from the changed connection. */
  drop(clusterId: string): void {
    this.clients.delete(clusterId);
  }

  /**
   * Closes every client's connections, last: Nest shuts modules down from the root inwards, so the
   * modules that import this one (the Monitor's caches, with their watches) have stopped by now.
   * Left to the keep-alive timeout instead, a socket could time out (or be destroyed) while Jest or
   * the process tears down, as an error nobody listens to. Requests still open get a bounded wait.
   */
  async onApplicationShutdown(): Promise<void> {
    const clients = [...this.clients.values()].map((c) => c.client);
    this.clients.clear();
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_WAIT_MS).unref();
    });
    await Promise.race([Promise.all(clients.map((c) => c.close())), bounded]);
    clearTimeout(timer);
  }

  /** For a cluster that is gone (or a one-off probe): forgets its client and closes its connections. */
  async close(clusterId: string): Promise<void> {
    const cached = this.clients.get(clusterId);
    this.clients.delete(clusterId);
    await cached?.client.close();
  }
}
