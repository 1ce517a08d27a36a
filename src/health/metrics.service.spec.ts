import { METRIC_CATALOGUE, MetricName } from './metric-catalogue';
import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  it('exposes every catalogue metric in /metrics with its help, type and label names', async () => {
    const metrics = new MetricsService();
    for (const name of Object.keys(METRIC_CATALOGUE) as MetricName[]) metrics.of(name);
    const text = await metrics.registry.metrics();
    for (const [name, spec] of Object.entries(METRIC_CATALOGUE)) {
      expect(text).toContain(`# HELP ${name} ${spec.help}`);
      expect(text).toContain(`# TYPE ${name} ${spec.type}`);
      const made = metrics.registry.getSingleMetric(name) as unknown as { labelNames: string[] };
      expect(made.labelNames).toEqual(spec.labels);
    }
  });

  it('gives the same metric to every caller of one name (a second one would not register)', () => {
    const metrics = new MetricsService();
    expect(metrics.of('cloudpilot_llm_tokens_total')).toBe(
      metrics.of('cloudpilot_llm_tokens_total'),
    );
    expect(metrics.of('cloudpilot_job_skips_total')).toBe(metrics.jobSkips);
  });

  it('sets a gauge with a collect function at scrape time', async () => {
    const metrics = new MetricsService();
    metrics.of('cloudpilot_monitored_clusters', function () {
      this.set({ replica: 'r1' }, 3);
    });
    expect(
      await metrics.registry.getSingleMetricAsString('cloudpilot_monitored_clusters'),
    ).toContain('cloudpilot_monitored_clusters{replica="r1"} 3');
  });
});
