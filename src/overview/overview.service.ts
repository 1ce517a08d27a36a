import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import { SameInputsMemo } from '../common/same-inputs-memo';
import { SerializedAnswer } from '../common/serialized-answer';
import {
  ClusterRef,
  ClusterSnapshot,
  ClusterSnapshots,
  ClusterUsage,
  firstSyncTimeout,
} from '../monitor/cluster-snapshot';
import { LiveUsage } from '../telemetry/live-usage';
import {
  FleetOverviewDto,
  NamespaceListDto,
  NodeDetailDto,
  NodeListDto,
  ResourceOverviewDto,
} from './overview.dto';
import {
  CacheSnapshot,
  namespaceDetails,
  nodeDetail,
  overallState,
  overviewStatus,
  OVERVIEW_KINDS,
  OverviewStatus,
  resourceOverview,
} from './overview-views';

/**
 * Overviews read from the Monitor's live caches: no API server request per answer, so the cost of
 * an answer does not grow with the cluster. A cache still on its first sync is waited for up to
 * monitor.fleetDeadlineSeconds; a cache that never synced answers with the reason instead of zeros.
 */
@Injectable()
export class OverviewService {
  private readonly answers = new SameInputsMemo<ClusterSnapshot, Answer>();

  constructor(
    private readonly snapshots: ClusterSnapshots,
    private readonly directory: ClusterDirectory,
    private readonly liveUsage: LiveUsage,
  ) {}

  /** metrics.k8s.io when served, else the last reading from the cluster's Prometheus, if any. */
  private usageOf(cache: ClusterSnapshot): ClusterUsage | undefined {
    return cache.usage ?? this.liveUsage.peek(cache);
  }

  async overview(clusterId: string): Promise<ResourceOverviewDto> {
    return (await this.overviewAnswer(clusterId)).value;
  }

  /**
   * The overview as the route sends it: made and serialised again only when something it reads
   * changed (a record, a kind's status, usage, health), not once per request. Shared by every
   * caller until then: read-only.
   */
  async overviewAnswer(clusterId: string): Promise<Answer> {
    const { cluster, cache, status } = await this.live(clusterId);
    const usage = this.usageOf(cache);
    const inputs: unknown[] = [cluster.id, cluster.name, cache.revision, cache.lastUpdated];
    inputs.push(usage, cache.health, ...OVERVIEW_KINDS.map((kind) => status[kind]));
    return this.answers.get(
      cache,
      inputs,
      () => new SerializedAnswer(resourceOverview(snapshot(cluster, cache, status, usage))),
    );
  }

  async namespaces(clusterId: string): Promise<NamespaceListDto> {
    const { cache, status } = await this.live(clusterId);
    return {
      items: namespaceDetails(cache.list('namespaces'), cache.aggregates),
      state: overallState(status),
      lastUpdated: iso(cache.lastUpdated),
      cache: status,
    };
  }

  async nodes(clusterId: string): Promise<NodeListDto> {
    const { cache, status } = await this.live(clusterId);
    if (status.nodes.state === 'forbidden') throw forbidden(status.nodes.error);
    const usage = this.usageOf(cache);
    const items = cache
      .list('nodes')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => nodeDetail(n, cache.aggregates.allocation(n.name), usage?.byNode.get(n.name)));
    return {
      items,
      state: overallState(status),
      lastUpdated: iso(cache.lastUpdated),
      cache: status,
    };
  }

  async node(clusterId: string, name: string): Promise<NodeDetailDto> {
    const { cache, status } = await this.live(clusterId);
    if (status.nodes.state === 'forbidden') throw forbidden(status.nodes.error);
    const node = cache.get('nodes', name);
    if (!node)
      throw new AppError('K8S_NOT_FOUND', `Node ${name} does not exist in cluster ${clusterId}`, {
        cluster: clusterId,
        kind: 'nodes',
        name,
      });
    return nodeDetail(
      node,
      cache.aggregates.allocation(name),
      this.usageOf(cache)?.byNode.get(name),
    );
  }

  /** One entry per cluster, each data or error; a dead cluster costs at most the deadline. */
  fleet(): Promise<FleetOverviewDto> {
    return this.snapshots.fleet(
      async (cache, cluster) => {
        const status = overviewStatus(cache.status(OVERVIEW_KINDS));
        const failure =
          unavailable(cluster, cache, status) ??
          (neverSynced(status) ? firstSyncTimeout(cluster, this.deadlineMs) : undefined);
        if (failure) throw failure;
        return resourceOverview(snapshot(cluster, cache, status, this.usageOf(cache)));
      },
      { failure: 'The cluster overview failed', details: true, route: '/api/v1/overview' },
    );
  }

  /** A per-cluster answer serves stale data with its age, but never a cache that has no data at all. */
  private async live(
    clusterId: string,
  ): Promise<{ cluster: ClusterRef; cache: ClusterSnapshot; status: CacheStatus }> {
    const found = await this.directory.get(clusterId);
    const cluster = { id: found.id, name: found.name };
    const cache = await this.snapshots.settled(cluster.id);
    const status = overviewStatus(cache.status(OVERVIEW_KINDS));
    if (neverSynced(status))
      throw unavailable(cluster, cache, status) ?? firstSyncTimeout(cluster, this.deadlineMs);
    return { cluster, cache, status };
  }

  private get deadlineMs(): number {
    return this.snapshots.firstSyncDeadlineMs;
  }
}

const iso = (ms: number): string | null => (ms ? new Date(ms).toISOString() : null);

type CacheStatus = OverviewStatus;
type Answer = SerializedAnswer<ResourceOverviewDto>;

function snapshot(
  cluster: ClusterRef,
  cache: ClusterSnapshot,
  status: CacheStatus,
  usage: ClusterUsage | undefined,
): CacheSnapshot {
  return {
    cluster,
    aggregates: cache.aggregates,
    status,
    lastUpdated: cache.lastUpdated,
    usage,
    health: cache.health,
  };
}

/** No kind has any data yet: zeros would be a lie, so the answer is the reason instead. */
function neverSynced(status: CacheStatus): boolean {
  return Object.values(status).every((s) => s.lastSyncedAt === null);
}

function forbidden(error: { code: string; message: string } | undefined): AppError {
  return new AppError(
    'K8S_FORBIDDEN',
    error?.message ?? 'CloudPilot may not list nodes in this cluster',
  );
}

/** Why a cluster has no live data (every kind stale, in error or forbidden), or undefined when it has. */
function unavailable(
  cluster: ClusterRef,
  cache: ClusterSnapshot,
  status: CacheStatus,
): AppError | undefined {
  if (!cache.down) return undefined;
  const [first] = cache.failures();
  const cause = first?.error;
  const lastUpdated = iso(cache.lastUpdated);
  const ageSeconds = cache.lastUpdated ? Math.round((Date.now() - cache.lastUpdated) / 1000) : null;
  const code = cause?.code ?? 'CLUSTER_UNREACHABLE';
  return new AppError(
    code as AppError['code'],
    cause?.message ?? `Cluster ${cluster.name} cannot be read`,
    { cluster: cluster.id, state: overallState(status), lastUpdated, ageSeconds },
  );
}
