import { Injectable } from '@nestjs/common';

export type ClusterEvent = { type: 'changed' | 'removed'; clusterId: string };
export type ClusterEventListener = (event: ClusterEvent) => void;

/**
 * Tells other modules (the Monitor) that a cluster was added, changed or removed, so its cache
 * starts or stops at once. Other replicas do not hear it: their scheduled tick reconciles instead.
 */
@Injectable()
export class ClusterEvents {
  private readonly listeners = new Set<ClusterEventListener>();

  subscribe(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
