import { Injectable } from '@nestjs/common';
import type { Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../health/metrics.service';
import type { Finding } from '../cluster-state/finding';
import { healthScore } from './health-score';

/** Prometheus view of the findings: counts by cluster, severity and code, the score, evaluation time. */
@Injectable()
export class DiagnosticsMetrics {
  private readonly findings: Gauge<'cluster' | 'severity' | 'code'>;
  private readonly score: Gauge<'cluster'>;
  private readonly duration: Histogram<'cluster'>;
  /** Label sets set per cluster at the last update, so codes that resolved are removed. */
  private readonly labelled = new Map<string, string[][]>();

  constructor(metrics: MetricsService) {
    this.findings = metrics.gauge(
      'cloudpilot_diagnostics_findings',
      'Current diagnostics findings by cluster, severity and code',
      ['cluster', 'severity', 'code'],
    );
    this.score = metrics.gauge(
      'cloudpilot_diagnostics_health_score',
      'Cluster health score, 0-100 (docs/diagnostics.md)',
      ['cluster'],
    );
    this.duration = metrics.histogram(
      'cloudpilot_diagnostics_evaluation_seconds',
      'Time of one full diagnostics evaluation of a cluster',
      ['cluster'],
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    );
  }

  /** Counts and score of the findings that cost points; `evaluationMs` when an evaluation ran. */
  update(clusterId: string, findings: readonly Finding[], evaluationMs?: number): void {
    for (const [severity, code] of this.labelled.get(clusterId) ?? [])
      this.findings.remove({ cluster: clusterId, severity, code });
    const counts = new Map<string, number>();
    for (const f of findings) {
      const key = `${f.severity}\n${f.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const labels: string[][] = [];
    for (const [key, value] of counts) {
      const [severity, code] = key.split('\n');
      this.findings.set({ cluster: clusterId, severity, code }, value);
      labels.push([severity, code]);
    }
    this.labelled.set(clusterId, labels);
    this.score.set({ cluster: clusterId }, healthScore(findings).score);
    if (evaluationMs !== undefined)
      this.duration.observe({ cluster: clusterId }, evaluationMs / 1000);
  }

  forget(clusterId: string): void {
    for (const [severity, code] of this.labelled.get(clusterId) ?? [])
      this.findings.remove({ cluster: clusterId, severity, code });
    this.labelled.delete(clusterId);
    this.score.remove({ cluster: clusterId });
  }
}
