import type { Counter, Gauge, Histogram } from 'prom-client';

interface CounterSpec<L extends string> {
  type: 'counter';
  help: string;
  labels: readonly L[];
}

interface GaugeSpec<L extends string> {
  type: 'gauge';
  help: string;
  labels: readonly L[];
}

interface HistogramSpec<L extends string> {
  type: 'histogram';
  help: string;
  labels: readonly L[];
  buckets: readonly number[];
}

export type MetricSpec = CounterSpec<string> | GaugeSpec<string> | HistogramSpec<string>;

const counter = <L extends string>(help: string, labels: readonly L[]): CounterSpec<L> => ({
  type: 'counter',
  help,
  labels,
});
const gauge = <L extends string>(help: string, labels: readonly L[]): GaugeSpec<L> => ({
  type: 'gauge',
  help,
  labels,
});
const histogram = <L extends string>(
  help: string,
  labels: readonly L[],
  buckets: readonly number[],
): HistogramSpec<L> => ({ type: 'histogram', help, labels, buckets });

/**
 * Every metric CloudPilot adds to /metrics (besides the process defaults), by name: what an
 * operator's dashboards and alerts depend on, in one place. A feature takes its metrics with
 * `MetricsService.of(name)`, typed by their label names here.
 */
export const METRIC_CATALOGUE = {
  cloudpilot_http_request_duration_seconds: histogram(
    'HTTP request duration by method, route pattern and status',
    ['method', 'route', 'status'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
  // Periodic jobs (PeriodicJobs): how long each tick took, and whether it threw.
  cloudpilot_job_duration_seconds: histogram(
    'Duration of one tick of a periodic job, by job and outcome (ok or error)',
    ['job', 'outcome'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  ),
  // Ticks not run: the previous one still ran (overlap), or this replica does not lead (follower).
  cloudpilot_job_skips_total: counter(
    'Ticks of a periodic job not run, by job and reason (overlap or follower)',
    ['job', 'reason'],
  ),
  cloudpilot_leader: gauge(
    '1 when this replica leads singleton work (history sampling, retention), else 0',
    ['method', 'replica'],
  ),
  cloudpilot_monitored_clusters: gauge(
    'Clusters whose live cache (and its watches) runs on this replica: its own with sharding, else all',
    ['replica'],
  ),
  cloudpilot_diagnostics_findings: gauge(
    'Current diagnostics findings by cluster, severity and code',
    ['cluster', 'severity', 'code'],
  ),
  cloudpilot_diagnostics_health_score: gauge('Cluster health score, 0-100 (docs/diagnostics.md)', [
    'cluster',
  ]),
  cloudpilot_diagnostics_evaluation_seconds: histogram(
    'Time of one full diagnostics evaluation of a cluster',
    ['cluster'],
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  ),
  cloudpilot_changes_recorded_total: counter('Changes stored in the change timeline, by cluster', [
    'cluster',
  ]),
  cloudpilot_changes_dropped_total: counter(
    'Changes not stored: over the per-day bound (budget) or a full buffer (buffer)',
    ['cluster', 'reason'],
  ),
  cloudpilot_llm_tokens_total: counter(
    'Tokens used by the assistant, by provider, model and type (prompt, completion)',
    ['provider', 'model', 'type'],
  ),
  cloudpilot_llm_cost_usd_total: counter(
    'Estimated USD spent, at the configured prices per million tokens',
    ['provider', 'model'],
  ),
  cloudpilot_llm_requests_total: counter(
    'Questions answered by the assistant, by outcome (ok or an error code)',
    ['provider', 'model', 'outcome'],
  ),
  cloudpilot_llm_tool_calls_total: counter(
    'Tool calls by tool, outcome (ok or an error code) and caller (assistant or mcp)',
    ['tool', 'outcome', 'via'],
  ),
};

export type MetricName = keyof typeof METRIC_CATALOGUE;

/** The prom-client metric a catalogue entry makes, with its label names as the label type. */
export type MetricOf<N extends MetricName> =
  (typeof METRIC_CATALOGUE)[N] extends CounterSpec<infer L>
    ? Counter<L>
    : (typeof METRIC_CATALOGUE)[N] extends GaugeSpec<infer L>
      ? Gauge<L>
      : (typeof METRIC_CATALOGUE)[N] extends HistogramSpec<infer L>
        ? Histogram<L>
        : never;
