import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../health/metrics.service';
import { ReadinessRegistry } from '../health/readiness.registry';
import { ReplicaCoordination } from './replica-coordination';

/**
 * Shows who leads in /readyz details and /metrics. A follower is as ready as the leader, so the
 * check is always up: leadership is information for operators, not a reason to take traffic away.
 */
@Injectable()
export class LeadershipReporter {
  constructor(
    coordination: ReplicaCoordination,
    readiness: ReadinessRegistry,
    metrics: MetricsService,
  ) {
    readiness.register({
      name: 'leadership',
      check: async () => ({ ...coordination.status() }),
    });
    new Gauge({
      name: 'cloudpilot_leader',
      help: '1 when this replica leads singleton work (history sampling, retention), else 0',
      labelNames: ['method', 'replica'] as const,
      registers: [metrics.registry],
      collect() {
        const status = coordination.status();
        this.reset();
        this.set({ method: status.method, replica: status.replicaId }, status.leader ? 1 : 0);
      },
    });
  }
}
