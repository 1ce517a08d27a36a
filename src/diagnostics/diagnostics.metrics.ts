import { Injectable } from '@nestjs/common';
import type { MetricOf } from '../health/metric-catalogue';
import { MetricsService } from '../health/metrics.service';
import type { Finding } from '../cluster-state/finding';
import { healthScore } from './health-score';

/** Prometheus view of the findings: counts by cluster, severity and code, the score, evaluation time. */
@Injectable()
export class DiagnosticsMetrics {
  private readonly findings: MetricOf<'cloudpilot_diagnostics_findings'>;
  private readonly score: MetricOf<'cloudpilot_diagnostics_health_score'>;
  private readonly duration: MetricOf<'cloudpilot_diagnostics_evaluation_seconds'>;
  /** Label sets set per cluster at the last update, so codes that resolved are removed. */
  private readonly labelled = new Map<string, string[][]>();

  constructor(metrics: MetricsService) {
    this.findings = metrics.of('cloudpilot_diagnostics_findings');
    this.score = metrics.of('cloudpilot_diagnostics_health_score');
    this.duration = metrics.of('cloudpilot_diagnostics_evaluation_seconds');
  }

  /** Counts and score of the findings that cost points. */
  update(clusterId: string, findings: readonly Finding[]): void {
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
  }

  /** How long an evaluation of the cluster took. */
  evaluated(clusterId: string, evaluationMs: number): void {
    this.duration.observe({ cluster: clusterId }, evaluationMs / 1000);
  }

  forget(clusterId: string): void {
    for (const [severity, code] of this.labelled.get(clusterId) ?? [])
      this.findings.remove({ cluster: clusterId, severity, code });
    this.labelled.delete(clusterId);
    this.score.remove({ cluster: clusterId });
  }
}
