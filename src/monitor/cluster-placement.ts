import type { ClusterRef, FanOutOptions, FleetEntry } from './fleet';

/** How a fleet answer is split between this replica and the owners of the other clusters. */
export interface FleetPlan {
  /** The clusters this replica answers itself. */
  local: ClusterRef[];
  /**
   * The entries the other clusters' owners answered, and the clusters none of them could (their
   * owners unreachable): this replica answers those after all, starting their caches.
   */
  remote: Promise<{ entries: FleetEntry<unknown>[]; fallback: ClusterRef[] }>;
}

/** A fleet answer's options; `route` is where another replica answers the same fleet question. */
export interface FleetOptions extends FanOutOptions {
  route?: string;
}

/**
 * Which clusters this replica watches (docs/scaling.md, "Sharding"). Without sharding every
 * replica watches every cluster; with it the Monitor keeps caches only for the clusters this
 * replica owns, and fleet answers ask the owners of the others.
 */
export abstract class ClusterPlacement {
  /** False while every replica watches every cluster. */
  abstract readonly sharded: boolean;
  /** True when this replica keeps a cache of the cluster. */
  abstract watches(clusterId: string): boolean;
  /** True when this replica writes the cluster's history (its first owner, when sharded). */
  abstract samples(clusterId: string): boolean;
  /**
   * True when this replica writes the cluster's records (history, changes, notifications): its
   * first owner when sharded; until the clusters are shared out, the leader alone records them all.
   */
  records(clusterId: string, leads: boolean): boolean {
    return this.sharded ? this.samples(clusterId) : leads;
  }
  /** Calls the listener whenever the clusters this replica watches may have changed. */
  abstract onChange(listener: () => void): () => void;
  abstract plan(clusters: readonly ClusterRef[], options: FleetOptions): FleetPlan;
}

/** Sharding off: this replica watches, samples and answers every cluster. */
export class EveryCluster extends ClusterPlacement {
  readonly sharded = false;
  watches(): boolean {
    return true;
  }
  samples(): boolean {
    return true;
  }
  onChange(): () => void {
    return () => undefined;
  }
  plan(clusters: readonly ClusterRef[]): FleetPlan {
    return { local: [...clusters], remote: Promise.resolve({ entries: [], fallback: [] }) };
  }
}

/**
 * Where a job that writes per-cluster records runs: with sharding on every replica, each for the
 * clusters it owns first (ClusterPlacement.records); without it on the leader alone.
 */
export function recordingRunsOn(shardingEnabled: boolean): 'every-replica' | 'leader' {
  return shardingEnabled ? 'every-replica' : 'leader';
}
