import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The Prometheus registry of this process; one per application instance so tests stay isolated. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'cloudpilot_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Periodic jobs (PeriodicJobs): how long each tick took, and whether it threw. */
  readonly jobDuration = new Histogram({
    name: 'cloudpilot_job_duration_seconds',
    help: 'Duration of one tick of a periodic job, by job and outcome (ok or error)',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  /** Ticks not run: the previous one still ran (overlap), or this replica does not lead (follower). */
  readonly jobSkips = new Counter({
    name: 'cloudpilot_job_skips_total',
    help: 'Ticks of a periodic job not run, by job and reason (overlap or follower)',
    labelNames: ['job', 'reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
