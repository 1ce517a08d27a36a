import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  GaugeConfiguration,
  Histogram,
  Registry,
} from 'prom-client';

/** The Prometheus registry of this process; one per application instance so tests stay isolated. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = this.histogram(
    'cloudpilot_http_request_duration_seconds',
    'HTTP request duration by method, route pattern and status',
    ['method', 'route', 'status'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  /** Periodic jobs (PeriodicJobs): how long each tick took, and whether it threw. */
  readonly jobDuration = this.histogram(
    'cloudpilot_job_duration_seconds',
    'Duration of one tick of a periodic job, by job and outcome (ok or error)',
    ['job', 'outcome'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  /** Ticks not run: the previous one still ran (overlap), or this replica does not lead (follower). */
  readonly jobSkips = this.counter(
    'cloudpilot_job_skips_total',
    'Ticks of a periodic job not run, by job and reason (overlap or follower)',
    ['job', 'reason'],
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /* The factories below are the one place a metric joins this process's registry: a metric made
   * elsewhere with its own `registers` would silently miss /metrics if that list were wrong. */

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** `collect` (optional) sets the value at scrape time, for a gauge read from elsewhere. */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect?: GaugeConfiguration<L>['collect'],
  ): Gauge<L> {
    return new Gauge({ name, help, labelNames, collect, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}
