import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  GaugeConfiguration,
  Histogram,
  Registry,
} from 'prom-client';
import { METRIC_CATALOGUE, MetricName, MetricOf, MetricSpec } from './metric-catalogue';

type Collect = GaugeConfiguration<string>['collect'];

/** The Prometheus registry of this process; one per application instance so tests stay isolated. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly made = new Map<MetricName, unknown>();
  readonly httpDuration = this.of('cloudpilot_http_request_duration_seconds');
  readonly jobDuration = this.of('cloudpilot_job_duration_seconds');
  readonly jobSkips = this.of('cloudpilot_job_skips_total');

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * The metric of this name in this process's registry, made on first use from the catalogue:
   * the one place a metric joins the registry (a metric made elsewhere with its own `registers`
   * would silently miss /metrics if that list were wrong). `collect` (a gauge read from elsewhere)
   * sets the value at scrape time.
   */
  of<N extends MetricName>(name: N, collect?: Collect): MetricOf<N> {
    let metric = this.made.get(name);
    if (!metric) {
      metric = this.make(name, METRIC_CATALOGUE[name], collect);
      this.made.set(name, metric);
    }
    return metric as MetricOf<N>;
  }

  private make(name: string, spec: MetricSpec, collect: Collect | undefined): unknown {
    const { help, labels } = spec;
    const common = { name, help, labelNames: labels, registers: [this.registry] };
    if (spec.type === 'counter') return new Counter(common);
    if (spec.type === 'gauge') return new Gauge({ ...common, collect });
    return new Histogram({ ...common, buckets: [...spec.buckets] });
  }
}
