import { Injectable } from '@nestjs/common';
import { DiagnosticsService } from '../diagnostics/diagnostics.service';
import type { HistoryRow } from './history-row';

export interface SeverityCounts {
  critical: number;
  warning: number;
  info: number;
}

export interface ClusterFindingCounts {
  cluster: SeverityCounts;
  namespaces: ReadonlyMap<string, SeverityCounts>;
}

/**
 * The port through which the sampler learns the current findings by severity: history depends on
 * this, not on diagnostics' internals. Undefined when a cluster has no diagnostics to give.
 */
export abstract class FindingCounts {
  abstract of(clusterId: string): Promise<ClusterFindingCounts | undefined>;
}

/** FindingCounts from the live diagnostics (the same counts as GET …/health). */
@Injectable()
export class DiagnosticsFindingCounts extends FindingCounts {
  constructor(private readonly diagnostics: DiagnosticsService) {
    super();
  }

  async of(clusterId: string): Promise<ClusterFindingCounts | undefined> {
    try {
      const health = await this.diagnostics.health(clusterId);
      return {
        cluster: health.cluster.counts,
        namespaces: new Map(health.namespaces.map((n) => [n.namespace, n.counts])),
      };
    } catch {
      // A cluster whose diagnostics cannot answer (first sync, unreachable) records no counts.
      return undefined;
    }
  }
}

/** The counts as history values (null: diagnostics had no answer for this tick). */
export function findingValues(counts: SeverityCounts | undefined): Record<string, number | null> {
  return {
    findingsCritical: counts ? counts.critical : null,
    findingsWarning: counts ? counts.warning : null,
    findingsInfo: counts ? counts.info : null,
  };
}

/** Adds the findings by severity to the cluster row and the rows of namespaces with findings. */
export function withFindingCounts(
  rows: HistoryRow[],
  counts: ClusterFindingCounts | undefined,
): HistoryRow[] {
  return rows.map((row) => {
    const c = row.scope === 'cluster' ? counts?.cluster : counts?.namespaces.get(row.name);
    return { ...row, values: { ...row.values, ...findingValues(c) } };
  });
}
