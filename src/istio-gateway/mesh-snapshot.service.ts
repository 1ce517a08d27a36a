import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { CachedKindName, ClusterSnapshot, ClusterSnapshots } from '../monitor/cluster-snapshot';
import { Unavailable } from './validations/run-validations';
import { MeshSnapshot, SnapshotPart } from './validations/snapshot';

/** Which kind of the cluster snapshot each part of the mesh snapshot is. */
const PARTS: Record<SnapshotPart, CachedKindName> = {
  gateways: 'istioGateways',
  virtualServices: 'virtualServices',
  destinationRules: 'destinationRules',
  serviceEntries: 'serviceEntries',
  services: 'services',
  pods: 'pods',
  secrets: 'secrets',
  k8sGateways: 'k8sGateways',
  httpRoutes: 'httpRoutes',
};

export interface FetchedSnapshot {
  snapshot: MeshSnapshot;
  unavailable: Unavailable;
}

/**
 * The mesh as the validations see it, read from the Monitor's live cache: no API request per
 * validation. Pods and Secrets are cached as metadata (Secret data is never downloaded). A kind
 * the credential may not list, or whose CRDs are absent, becomes null with the reason, so its
 * checks are skipped instead of reporting everything it would have shown as missing.
 */
@Injectable()
export class MeshSnapshotService {
  constructor(
    private readonly snapshots: ClusterSnapshots,
    private readonly configProvider: ConfigProvider,
  ) {}

  async fetch(clusterId: string): Promise<FetchedSnapshot> {
    const cluster = await this.snapshots.forCluster(clusterId);
    // Istio installed since the cache started (the caller's discovery just saw it): start its kinds.
    if (!cluster.caches('istioGateways')) await cluster.refreshKinds();
    await cluster.whenSettled(this.firstSyncWaitMs);
    const unavailable: Unavailable = {};
    const status = cluster.status();
    const entries = (Object.keys(PARTS) as SnapshotPart[]).map((part) => {
      const kind = PARTS[part];
      const state = status[kind];
      if (!state) unavailable[part] = 'CRDs not installed';
      else if (state.state === 'forbidden')
        unavailable[part] = "forbidden for this cluster's credential";
      else if (state.lastSyncedAt === null) throw neverSynced(cluster, kind, state.error);
      return [part, unavailable[part] ? null : cluster.list(kind)] as const;
    });
    return { snapshot: Object.fromEntries(entries) as unknown as MeshSnapshot, unavailable };
  }

  /**
   * How long a request waits for a cache still on its first sync: as long as the LISTs it replaced
   * were allowed to take (the request deadline), and never less than the fleet deadline.
   */
  private get firstSyncWaitMs(): number {
    const { monitor, kubernetes } = this.configProvider.config;
    return Math.max(monitor.fleetDeadlineSeconds, kubernetes.requestTimeoutSeconds) * 1000;
  }
}

/** A kind with no data at all: the validations cannot run on it, and guessing would be a lie. */
function neverSynced(
  cluster: ClusterSnapshot,
  kind: CachedKindName,
  error: { code: string; message: string } | undefined,
): AppError {
  if (error)
    return new AppError(error.code as AppError['code'], error.message, {
      cluster: cluster.clusterId,
    });
  return new AppError(
    'CLUSTER_TIMEOUT',
    `Cluster ${cluster.clusterId} has not finished reading ${kind}`,
    {
      cluster: cluster.clusterId,
    },
  );
}
