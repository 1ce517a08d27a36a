import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ReplicaCoordination } from '../coordination/replica-coordination';

export type ClusterEvent = { type: 'changed' | 'removed'; clusterId: string };
export type ClusterEventListener = (event: ClusterEvent) => void;

/** PostgreSQL channel name: an identifier, so lower case and no dots. */
const CHANNEL = 'cloudpilot_cluster_events';

/**
 * Tells other modules (the Monitor) that a cluster was added, changed or removed, so its cache
 * starts or stops at once, on this replica and, through the replica bus (PostgreSQL NOTIFY), on
 * every other one. A notification lost while a replica's session is down is caught up by the
 * monitor tick's reconcile: the bus makes replicas fast, the tick makes them correct.
 */
@Injectable()
export class ClusterEvents implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ClusterEvents');
  private readonly listeners = new Set<ClusterEventListener>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly coordination: ReplicaCoordination) {}

  onModuleInit(): void {
    this.unsubscribe = this.coordination.subscribe(CHANNEL, (payload) => this.receive(payload));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  subscribe(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ClusterEvent): void {
    this.deliver(event);
    this.coordination
      .publish(CHANNEL, JSON.stringify(event))
      .catch((error) =>
        this.logger.warn(`Other replicas will see ${event.clusterId} at their next tick: ${error}`),
      );
  }

  private receive(payload: string): void {
    const event = parseEvent(payload);
    if (!event) return;
    this.logger.debug(`Cluster ${event.clusterId} ${event.type} on another replica`);
    this.deliver(event);
  }

  private deliver(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function parseEvent(payload: string): ClusterEvent | undefined {
  try {
    const value = JSON.parse(payload) as ClusterEvent;
    const typeOk = value.type === 'changed' || value.type === 'removed';
    return typeOk && typeof value.clusterId === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
