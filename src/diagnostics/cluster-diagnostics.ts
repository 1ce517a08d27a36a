import type { ClusterSnapshot } from '../monitor/cluster-snapshot';
import { evaluate, EvaluatedFinding } from './evaluate';
import { IncrementalEvaluation } from './incremental-evaluation';
import type { Finding } from './finding';
import { snapshotInput } from './snapshot-input';

export type FindingChangeType = 'opened' | 'updated' | 'resolved';

export interface FindingChange {
  type: FindingChangeType;
  finding: Finding;
}

export type FindingListener = (change: FindingChange) => void;

export interface ClusterDiagnosticsOptions {
  /** Changes within this window are evaluated together (the first change starts the window). */
  debounceMs: number;
  /** Re-evaluation without changes, for "for long" conditions (not ready for 5 min, cordoned for 1 h). */
  resyncMs: number;
  /** Told after each evaluation (metrics). */
  onEvaluated?(diagnostics: ClusterDiagnostics): void;
  /** Findings computed elsewhere (forecasts), merged into every evaluation. */
  external?(): EvaluatedFinding[];
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What makes an update worth announcing: lastSeen alone moves on every evaluation. */
const signature = (f: EvaluatedFinding): string =>
  JSON.stringify([f.severity, f.message, f.count, f.evidence]);

/**
 * The live findings of one cluster. Every change the snapshot applies (from its watches) schedules
 * one debounced evaluation over the in-memory snapshot; nothing here lists the cluster. Findings
 * keep their firstSeen across evaluations and disappear when their condition is gone.
 */
export class ClusterDiagnostics {
  private findings = new Map<string, Finding>();
  private signatures = new Map<string, string>();
  private readonly listeners = new Set<FindingListener>();
  private timer: NodeJS.Timeout | undefined;
  /** A sliced evaluation is in progress; a change meanwhile schedules the next one after it. */
  private running = false;
  private stopped = false;
  private resync: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Epoch ms of the last evaluation, 0 before the first. */
  evaluatedAt = 0;
  /** How long the last evaluation took, in ms. */
  evaluationMs = 0;

  private readonly incremental: IncrementalEvaluation;

  constructor(
    readonly snapshot: ClusterSnapshot,
    private readonly options: ClusterDiagnosticsOptions,
  ) {
    this.incremental = new IncrementalEvaluation(snapshot);
  }

  start(): void {
    this.unsubscribe = this.snapshot.subscribe((change) => {
      this.incremental.noteChange(change);
      this.schedule();
    });
    this.resync = setInterval(() => {
      this.incremental.noteTimePassed();
      this.schedule();
    }, this.options.resyncMs);
    this.resync.unref();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    clearInterval(this.resync);
    this.timer = this.resync = undefined;
    this.listeners.clear();
  }

  /** True once the snapshot finished its first sync and findings were computed from it. */
  get ready(): boolean {
    return this.evaluatedAt > 0;
  }

  list(): Finding[] {
    return [...this.findings.values()];
  }

  get(id: string): Finding | undefined {
    return this.findings.get(id);
  }

  onChange(listener: FindingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.evaluateInSlices();
    }, this.options.debounceMs);
    this.timer.unref();
  }

  /** The scheduled evaluation: incremental and sliced, so it never holds the event loop for long. */
  async evaluateInSlices(now = Date.now()): Promise<void> {
    if (this.running) return this.schedule();
    if (!this.snapshot.settled) return this.schedule();
    this.running = true;
    const started = performance.now();
    try {
      const found = await this.incremental.run(now, pause);
      if (!this.stopped) this.apply(found, now, started);
    } finally {
      this.running = false;
    }
  }

  /**
   * Evaluates synchronously (a request that finds no evaluation yet). Before the snapshot's first
   * sync, an evaluation would see half the cluster (a ConfigMap not yet listed reads as missing),
   * so it waits for the snapshot to settle.
   */
  evaluateNow(now = Date.now()): void {
    if (!this.snapshot.settled) return this.schedule();
    const started = performance.now();
    this.apply(evaluate(this.snapshot.clusterId, snapshotInput(this.snapshot, now)), now, started);
    this.incremental.invalidate();
  }

  /** Tracks the evaluation's findings against the previous ones and announces the differences. */
  private apply(evaluated: EvaluatedFinding[], now: number, started: number): void {
    const found = [...evaluated, ...(this.options.external?.() ?? [])];
    const seen = new Set<string>();
    const iso = new Date(now).toISOString();
    for (const f of found) {
      seen.add(f.id);
      const previous = this.findings.get(f.id);
      const finding: Finding = { ...f, firstSeen: previous?.firstSeen ?? iso, lastSeen: iso };
      this.findings.set(f.id, finding);
      const sig = signature(f);
      if (!previous) this.emit({ type: 'opened', finding });
      else if (this.signatures.get(f.id) !== sig) this.emit({ type: 'updated', finding });
      this.signatures.set(f.id, sig);
    }
    for (const [id, finding] of this.findings) {
      if (seen.has(id)) continue;
      this.findings.delete(id);
      this.signatures.delete(id);
      this.emit({ type: 'resolved', finding: { ...finding, lastSeen: iso } });
    }
    this.evaluatedAt = now;
    // Wall time of the evaluation; for a sliced one it includes the pauses given to other work.
    this.evaluationMs = performance.now() - started;
    this.options.onEvaluated?.(this);
  }

  private emit(change: FindingChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One broken subscriber (a closed stream) must not stop the others.
      }
    }
  }
}
