import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ClusterEvents } from '../cluster-registry/cluster-events';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { ReadinessRegistry } from '../health/readiness.registry';
import { ClusterDiscovery } from '../kubernetes/cluster-discovery';
import { servedVersionOf } from '../kubernetes/discovery';
import { collectionPath, kindOf } from '../kubernetes/kinds';
import type { KubeClient } from '../kubernetes/kube-client';
import type { CachedKindSpec } from './cached-kinds';
import { ClusterCache } from './cluster-cache';
import { ClusterPlacement, EveryCluster, FleetOptions } from './cluster-placement';
import { ColdSyncQueue } from './cold-sync-queue';
import { ClusterSnapshot, ClusterSnapshots, Fleet } from './cluster-snapshot';
import { ClusterRef, fanOut, FleetEntry } from './fleet';

/**
 * Owns one live ClusterCache per registered cluster: started at start-up and on registration,
 * restarted when a cluster's connection changes, stopped on removal and at shutdown. The
 * scheduled tick reconciles with the directory too, so replicas that missed an event catch up.
 */
@Injectable()
export class MonitorService
  extends ClusterSnapshots
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('Monitor');
  private readonly caches = new Map<string, ClusterCache>();
  /** Starts in flight, so an event and a reconcile for the same cluster never start two caches. */
  private readonly starting = new Map<string, Promise<ClusterCache>>();
  private reconciled = false;
  /** First syncs run a few at a time (monitor.coldSyncConcurrency), so a big fleet starts staggered. */
  readonly coldSyncs = new ColdSyncQueue(
    () => this.configProvider.config.monitor.coldSyncConcurrency,
  );
  private unsubscribe: (() => void) | undefined;
  private readonly placement: ClusterPlacement;

  constructor(
    private readonly directory: ClusterDirectory,
    private readonly events: ClusterEvents,
    private readonly configProvider: ConfigProvider,
    private readonly discovery: ClusterDiscovery,
    readiness: ReadinessRegistry,
    // Sharding (docs/scaling.md) narrows the clusters this replica watches; without it, all of them.
    @Optional() placement?: ClusterPlacement,
  ) {
    super();
    this.placement = placement ?? new EveryCluster();
    // Ready once every cluster has finished its first sync or said why it cannot.
    readiness.register({
      name: 'monitor',
      check: async () => this.reconciled && [...this.caches.values()].every((c) => c.settled),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const unsubscribeEvents = this.events.subscribe(
      (event) => void this.onClusterEvent(event.type, event.clusterId),
    );
    const unsubscribePlacement = this.placement.onChange(() => void this.reconcileLogged());
    this.unsubscribe = () => {
      unsubscribeEvents();
      unsubscribePlacement();
    };
    await this.reconcileLogged();
  }

  private reconcileLogged(): Promise<void> {
    return this.reconcile().catch((error) =>
      this.logger.warn(`Could not list clusters to monitor: ${(error as Error).message}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.caches.keys()].map((id) => this.stopCache(id)));
  }

  /** Starts caches for new clusters, restarts changed ones, stops removed (or no longer owned) ones. */
  async reconcile(): Promise<void> {
    const clusters = (await this.directory.list()).filter((c) => this.placement.watches(c.id));
    const wanted = new Set(clusters.map((c) => c.id));
    for (const id of [...this.caches.keys()]) if (!wanted.has(id)) await this.stopCache(id);
    await Promise.all(
      clusters.map((c) =>
        this.ensure(c.id).catch((error) =>
          this.logger.warn(
            `Cluster ${c.name} cannot be monitored: ${(error as AppError).code ?? (error as Error).message}`,
          ),
        ),
      ),
    );
    this.reconciled = true;
  }

  /** The live cache of a cluster (by id or name); throws CLUSTER_NOT_FOUND like every cluster route. */
  async cache(idOrName: string): Promise<ClusterCache> {
    const cluster = await this.directory.get(idOrName);
    return this.forCluster(cluster.id);
  }

  /**
   * The running cache of a cluster already resolved by id, started if there is none. This is the
   * read path of every overview: it touches neither the database nor the credential, since
   * connection changes restart caches through ClusterEvents and the tick's reconcile.
   */
  forCluster(id: string): Promise<ClusterCache> {
    const running = this.caches.get(id);
    if (!running) return this.ensure(id);
    // Someone waits for it: a cluster still queued for its first sync goes next.
    if (!running.settled) this.coldSyncs.prioritize(id);
    return Promise.resolve(running);
  }

  /** Every running cache, keyed by cluster id. */
  all(): ReadonlyMap<string, ClusterCache> {
    return this.caches;
  }

  get firstSyncDeadlineMs(): number {
    return this.configProvider.config.monitor.fleetDeadlineSeconds * 1000;
  }

  /** Every cluster's answer: this replica's own clusters here, the others from their owners. */
  async fleet<T>(
    each: (snapshot: ClusterSnapshot, cluster: ClusterRef) => Promise<T>,
    options: FleetOptions,
  ): Promise<Fleet<T>> {
    const deadlineSeconds = this.configProvider.config.monitor.fleetDeadlineSeconds;
    const clusters = (await this.directory.list()).map((c) => ({ id: c.id, name: c.name }));
    const here = (refs: ClusterRef[]) =>
      fanOut(refs, async (cluster) => each(await this.settled(cluster.id), cluster), options);
    const plan = this.placement.plan(clusters, options);
    const [local, remote] = await Promise.all([here(plan.local), plan.remote]);
    const answered = [...local, ...(remote.entries as FleetEntry<T>[])];
    answered.push(...(await here(remote.fallback)));
    const byId = new Map(answered.map((entry) => [entry.cluster.id, entry]));
    const items = clusters.flatMap((c) => byId.get(c.id) ?? []);
    return { items, deadlineSeconds };
  }

  private ensure(id: string): Promise<ClusterCache> {
    const pending = this.starting.get(id);
    if (pending) return pending;
    const started = this.startOrReuse(id).finally(() => this.starting.delete(id));
    this.starting.set(id, started);
    return started;
  }

  private async startOrReuse(id: string): Promise<ClusterCache> {
    const client = await this.directory.client(id);
    const existing = this.caches.get(id);
    // The client pool hands out a new client when the connection changed: the cache follows it.
    if (existing?.client === client) return existing;
    if (existing) await this.stopCache(id);
    const cache = new ClusterCache(client, (spec) => this.pathOf(client, spec), {
      pollIntervalMs: this.configProvider.config.monitor.cacheTtlSeconds * 1000,
      optIns: {
        tlsSecretCertificates: this.configProvider.config.monitor.tlsSecretCertificates,
      },
      onStateChange: (kind, state, error) =>
        this.logger.log(`Cluster ${id} ${kind}: ${state}${error ? ` (${error.code})` : ''}`),
    });
    this.caches.set(id, cache);
    void this.coldStart(cache);
    return cache;
  }

  /**
   * Starts a cache once the queue gives it a slot, held until its first sync ends (or fails) or
   * for the fleet deadline at most: a slow or dead cluster finishes its sync outside the queue
   * rather than hold back the clusters behind it.
   */
  private async coldStart(cache: ClusterCache): Promise<void> {
    await this.coldSyncs.run(cache.clusterId, async () => {
      await cache.start();
      await cache.whenSettled(this.firstSyncDeadlineMs);
    });
  }

  /**
   * Where a cached kind lives in this cluster. Built-in kinds are always at their first version
   * (no request, so a cache starts even while the API server is down); optional kinds (CRDs) only
   * once discovery shows them served, re-read at most every few seconds while they are missing.
   */
  private async pathOf(client: KubeClient, spec: CachedKindSpec): Promise<string | null> {
    const descriptor = kindOf(spec.kind);
    if (!spec.optional) return collectionPath(descriptor, descriptor.versions[0]);
    try {
      const served = servedVersionOf(await this.discovery.refreshAfterMiss(client), descriptor);
      return served ? collectionPath(descriptor, served.version) : null;
    } catch {
      return null; // unreachable now: the scheduled tick asks again
    }
  }

  private async stopCache(id: string): Promise<void> {
    const cache = this.caches.get(id);
    this.caches.delete(id);
    await cache?.stop();
  }

  private async onClusterEvent(type: 'changed' | 'removed', id: string): Promise<void> {
    try {
      if (type === 'removed' || !this.placement.watches(id)) await this.stopCache(id);
      else await this.ensure(id);
    } catch (error) {
      this.logger.warn(
        `Cluster ${id} cannot be monitored: ${(error as AppError).code ?? (error as Error).message}`,
      );
    }
  }
}
