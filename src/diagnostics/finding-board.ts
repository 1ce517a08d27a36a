import type { Finding } from '../cluster-state/finding';

export type FindingChangeType = 'opened' | 'updated' | 'resolved';

export interface FindingChange {
  type: FindingChangeType;
  finding: Finding;
}

export type FindingListener = (change: FindingChange) => void;

/** What makes an update worth announcing: lastSeen alone moves on every evaluation. */
export const findingSignature = (
  f: Pick<Finding, 'severity' | 'message' | 'count' | 'evidence'>,
): string => JSON.stringify([f.severity, f.message, f.count, f.evidence]);

/**
 * One cluster's current findings and who follows their changes: what routes, the SSE stream and
 * metrics read, whether the engine runs here (ClusterDiagnostics) or in the worker
 * (RemoteDiagnostics, which holds the findings each evaluation reports).
 */
export abstract class FindingBoard {
  protected findings = new Map<string, Finding>();
  private readonly listeners = new Set<FindingListener>();

  list(): Finding[] {
    return [...this.findings.values()];
  }

  get(id: string): Finding | undefined {
    return this.findings.get(id);
  }

  /** How many findings there are, without listing them. */
  get size(): number {
    return this.findings.size;
  }

  onChange(listener: FindingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected forgetListeners(): void {
    this.listeners.clear();
  }

  protected emit(change: FindingChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One broken subscriber (a closed stream) must not stop the others.
      }
    }
  }
}
