import type { DiagnosedSnapshot } from '../monitor/cluster-snapshot';
import type { EvaluatedFinding } from '../cluster-state/finding';
import type { Finding } from '../cluster-state/finding';
import { FindingBoard, FindingChange, findingSignature } from './finding-board';
import { CodeSwitches, switchedDetectors, withoutDisabled } from './code-switches';
import { IncrementalEvaluation } from './incremental-evaluation';
import { Slicer } from './slicer';

export type { FindingChange, FindingChangeType, FindingListener } from './finding-board';

export interface ClusterDiagnosticsOptions {
  /** Changes within this window are evaluated together (the first change starts the window). */
  debounceMs: number;
  /** Re-evaluation without changes, for "for long" conditions (not ready for 5 min, cordoned for 1 h). */
  resyncMs: number;
  /** Codes switched off or on by config (all but the opt-in ones on without it). */
  switches?: CodeSwitches;
  /** Told after each evaluation (metrics). */
  onEvaluated?(diagnostics: ClusterDiagnostics): void;
  /** Findings computed elsewhere (forecasts), merged into every evaluation. */
  external?(): EvaluatedFinding[];
  /** How an evaluation yields the event loop between slices (the benchmark measures slices with it). */
  pause?: () => Promise<void>;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The live findings of one cluster. Every change the snapshot applies (from its watches) schedules
 * one debounced evaluation over the in-memory snapshot; nothing here lists the cluster. Findings
 * keep their firstSeen across evaluations and disappear when their condition is gone.
 */
export class ClusterDiagnostics extends FindingBoard {
  private signatures = new Map<string, string>();
  /** The last evaluation's findings by id: one that is the same object again keeps its signature. */
  private evaluated = new Map<string, EvaluatedFinding>();
  private timer: NodeJS.Timeout | undefined;
  /** The sliced evaluation in progress; a change meanwhile schedules the next one after it. */
  private running: Promise<void> | undefined;
  private stopped = false;
  private resync: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Epoch ms of the last evaluation, 0 before the first. */
  evaluatedAt = 0;
  /** How long the last evaluation took, in ms. */
  evaluationMs = 0;

  private readonly incremental: IncrementalEvaluation;

  constructor(
    readonly snapshot: DiagnosedSnapshot,
    private readonly options: ClusterDiagnosticsOptions,
  ) {
    super();
    this.incremental = new IncrementalEvaluation(snapshot, switchedDetectors(options.switches));
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
    this.forgetListeners();
  }

  /** True once the snapshot finished its first sync and findings were computed from it. */
  get ready(): boolean {
    return this.evaluatedAt > 0;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.evaluateInSlices();
    }, this.options.debounceMs);
    this.timer.unref();
  }

  /**
   * The scheduled evaluation: incremental and sliced, so it never holds the event loop for long.
   * Called while one runs, it answers when that one ends (and the next is scheduled).
   */
  evaluateInSlices(now = Date.now()): Promise<void> {
    if (this.running) {
      this.schedule();
      return this.running;
    }
    if (!this.snapshot.settled) {
      this.schedule();
      return Promise.resolve();
    }
    this.running = this.evaluateOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async evaluateOnce(now: number): Promise<void> {
    const started = performance.now();
    const pause = this.options.pause ?? yieldToEventLoop;
    const evaluated = withoutDisabled(
      await this.incremental.run(now, pause),
      this.options.switches,
    );
    const found = [...evaluated, ...(this.options.external?.() ?? [])];
    if (!this.stopped) await new Slicer(pause).drain(this.applySteps(found, now, started));
  }

  /** Slices of the last evaluation and the longest one (the benchmark reads them). */
  get lastRun(): { slices: number; longestSliceMs: number } {
    return this.incremental.lastRun;
  }

  /**
   * Tracks the evaluation's findings against the previous ones and announces the differences.
   * The new state is built in steps and swapped in at once, so a request between two slices
   * reads either the previous evaluation or this one, never half of each.
   */
  private *applySteps(found: EvaluatedFinding[], now: number, started: number): Generator<void> {
    const iso = new Date(now).toISOString();
    const findings = new Map<string, Finding>();
    const signatures = new Map<string, string>();
    const evaluated = new Map<string, EvaluatedFinding>();
    const changes: FindingChange[] = [];
    for (let i = 0; i < found.length; i++) {
      const f = found[i];
      const previous = this.findings.get(f.id);
      const finding: Finding = { ...f, firstSeen: previous?.firstSeen ?? iso, lastSeen: iso };
      findings.set(f.id, finding);
      evaluated.set(f.id, f);
      // The incremental evaluation hands back an unchanged finding as the same (immutable) object:
      // its signature is last run's, not another JSON string per finding per run.
      const sig = this.evaluated.get(f.id) === f ? this.signatures.get(f.id)! : findingSignature(f);
      if (!previous) changes.push({ type: 'opened', finding });
      else if (this.signatures.get(f.id) !== sig) changes.push({ type: 'updated', finding });
      signatures.set(f.id, sig);
      if (i % 32 === 0) yield;
    }
    for (const [id, finding] of this.findings)
      if (!findings.has(id))
        changes.push({ type: 'resolved', finding: { ...finding, lastSeen: iso } });
    this.findings = findings;
    this.signatures = signatures;
    this.evaluated = evaluated;
    this.evaluatedAt = now;
    // Wall time of the evaluation; for a sliced one it includes the pauses given to other work.
    this.evaluationMs = performance.now() - started;
    for (const change of changes) this.emit(change);
    this.options.onEvaluated?.(this);
  }
}
