import { Injectable } from '@nestjs/common';
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
    metrics.of('cloudpilot_leader', function () {
      const status = coordination.status();
      this.reset();
      this.set({ method: status.method, replica: status.replicaId }, status.leader ? 1 : 0);
    });
  }
}
