import { Injectable, Logger } from '@nestjs/common';
import type { EvaluatedFinding } from '../cluster-state/finding';

/**
 * Findings that no detector computes from the snapshot, e.g. forecasts from the stored history.
 * A source answers from what it already holds: it is asked on every evaluation.
 */
export interface ExternalFindingSource {
  readonly name: string;
  findings(clusterId: string): EvaluatedFinding[];
}

/**
 * The port through which other modules add findings to diagnostics without diagnostics importing
 * them (forecasts import this, never the reverse): sources register here, and each evaluation of a
 * cluster merges their findings, so the list, health score, SSE stream and the assistant see them.
 */
@Injectable()
export class ExternalFindings {
  private readonly logger = new Logger('Diagnostics');
  private readonly sources = new Set<ExternalFindingSource>();
  private readonly listeners = new Set<(clusterId: string) => void>();

  register(source: ExternalFindingSource): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  of(clusterId: string): EvaluatedFinding[] {
    return [...this.sources].flatMap((source) => {
      try {
        return source.findings(clusterId);
      } catch (error) {
        // One broken source must not hide the detectors' findings.
        this.logger.warn(`Finding source ${source.name} failed: ${(error as Error).message}`);
        return [];
      }
    });
  }

  /** A source's findings of a cluster changed: its diagnostics re-evaluate now, not at the resync. */
  changed(clusterId: string): void {
    for (const listener of this.listeners) listener(clusterId);
  }

  onChanged(listener: (clusterId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
