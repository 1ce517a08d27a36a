import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ClusterSnapshot, ClusterSnapshots } from '../monitor/cluster-snapshot';

/**
 * This replica's running caches, looked up when asked: the Monitor takes its placement from this
 * module, so this module cannot import the Monitor's in turn.
 */
@Injectable()
export class LocalCaches {
  constructor(private readonly modules: ModuleRef) {}

  all(): ReadonlyMap<string, ClusterSnapshot> {
    return this.modules.get(ClusterSnapshots, { strict: false }).all();
  }

  /** True when this replica's cache of the cluster has synced and reaches its API server. */
  warm(clusterId: string): boolean {
    const cache = this.all().get(clusterId);
    return cache !== undefined && cache.settled && !cache.down;
  }
}
