import type { ClusterDiagnosticsOptions } from './cluster-diagnostics';
import type {
  CachedKindName,
  ClusterSnapshot,
  MirroredChange,
  SnapshotChange,
} from '../monitor/cluster-snapshot';
import { FindingBoard, FindingChange, findingSignature } from './finding-board';
import type { DiagnosticsIsolate } from './diagnostics-isolate';
import { withSharedTexts } from './shared-texts';
import { usableKinds } from './snapshot-input';
import type { FromWorker, ToWorker } from './worker-protocol';

/**
 * The in-process options but the pause (the worker yields on its own); `external` findings are
 * computed in this process and sent along with every requested evaluation.
 */
export interface RemoteDiagnosticsOptions extends Omit<
  ClusterDiagnosticsOptions,
  'onEvaluated' | 'pause'
> {
  onEvaluated?(diagnostics: RemoteDiagnostics): void;
}

/** Records per message of the first fill: one is serialized in ~0.2 ms (250 pods, unpreempted max 0.6 ms). */
const FILL_CHUNK = 250;
/** How long the outbox may post in one go before it yields the event loop. */
const POST_BUDGET_MS = 1;
/** How often the kinds' state is compared with what the worker was last told. */
const STATE_CHECK_MS = 1_000;

/**
 * One cluster's live findings, evaluated in the diagnostics isolate. This side forwards the
 * snapshot (a first fill in small messages, then every change, coalesced per turn of the event
 * loop) and keeps the findings each evaluation reports, so reading them costs no message. Same
 * surface as ClusterDiagnostics, which runs on the other side.
 */
export class RemoteDiagnostics extends FindingBoard {
  evaluatedAt = 0;
  evaluationMs = 0;
  lastRun = { slices: 0, longestSliceMs: 0 };
  private readonly outbox: ToWorker[] = [];
  private pumping = false;
  private changes: MirroredChange[] = [];
  private flushQueued = false;
  private toldState = '';
  private seq = 0;
  private readonly answers = new Map<number, () => void>();
  private unsubscribe: (() => void) | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Changes of the evaluation being reported, received ahead of its `evaluated` message. */
  private arriving: FindingChange[] = [];
  /** The next evaluation reported is a new engine's first: it states every finding. */
  private replaceNext = false;

  constructor(
    readonly snapshot: ClusterSnapshot,
    private readonly isolate: DiagnosticsIsolate,
    private readonly options: RemoteDiagnosticsOptions,
  ) {
    super();
  }

  start(): void {
    const { clusterId } = this.snapshot;
    this.isolate.attach(
      clusterId,
      (m) => this.receive(m),
      () => this.send(),
    );
    this.unsubscribe = this.snapshot.subscribe((change) => this.queue(change));
    this.send();
    this.stateTimer = setInterval(() => this.tellState(), STATE_CHECK_MS);
    this.stateTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.outbox.length = 0;
    this.unsubscribe?.();
    clearInterval(this.stateTimer);
    this.isolate.post({ type: 'close', clusterId: this.snapshot.clusterId });
    this.isolate.detach(this.snapshot.clusterId);
    this.forgetListeners();
    this.answerAll();
  }

  get ready(): boolean {
    return this.evaluatedAt > 0;
  }

  /** Asks for an evaluation now (with the current external findings); resolves when it ends. */
  evaluateInSlices(): Promise<void> {
    if (this.stopped || !this.isolate.available) return Promise.resolve();
    const { clusterId } = this.snapshot;
    if (this.options.external)
      this.enqueue({ type: 'external', clusterId, findings: this.options.external() });
    this.flush();
    const seq = ++this.seq;
    const answered = new Promise<void>((resolve) => this.answers.set(seq, resolve));
    this.enqueue({ type: 'evaluate', clusterId, seq });
    return answered;
  }

  /**
   * Sends the cluster from the start: the snapshot as it is now (changes from here on are queued
   * behind it), then the engine starts. Also what a replaced worker is sent.
   */
  private send(): void {
    const { clusterId } = this.snapshot;
    this.toldState = '';
    this.changes = [];
    const { debounceMs, resyncMs, switches } = this.options;
    this.enqueue({ type: 'open', clusterId, debounceMs, resyncMs, switches });
    // A replaced worker lost what it was asked; its first evaluation replaces the findings held here.
    this.answerAll();
    this.arriving = [];
    this.replaceNext = true;
    for (const kind of Object.keys(this.snapshot.status()) as CachedKindName[]) {
      const records = this.snapshot.list(kind);
      for (let i = 0; i < records.length; i += FILL_CHUNK)
        this.enqueue({
          type: 'batch',
          clusterId,
          batch: { fill: [{ kind, records: records.slice(i, i + FILL_CHUNK) }] },
        });
    }
    this.tellState();
    if (this.options.external)
      this.enqueue({ type: 'external', clusterId, findings: this.options.external() });
    this.enqueue({ type: 'start', clusterId });
  }

  private queue(change: SnapshotChange): void {
    this.changes.push({ kind: change.kind, type: change.type, record: change.record });
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }

  /** Changes so far in one message, with the kinds' state if it changed. */
  private flush(): void {
    this.flushQueued = false;
    if (!this.changes.length) return this.tellState();
    const changes = this.changes;
    this.changes = [];
    this.enqueue({
      type: 'batch',
      clusterId: this.snapshot.clusterId,
      batch: { changes, ...this.stateChange() },
    });
  }

  /** Tells the worker which kinds are usable and whether the snapshot settled, when that changed. */
  private tellState(): void {
    const state = this.stateChange();
    if (state.usable)
      this.enqueue({ type: 'batch', clusterId: this.snapshot.clusterId, batch: state });
  }

  /** The kinds' state when it differs from what the worker was last told, else nothing. */
  private stateChange(): { usable?: CachedKindName[]; settled?: boolean } {
    const usable = usableKinds(this.snapshot);
    const state = {
      usable: (Object.keys(this.snapshot.status()) as CachedKindName[]).filter(usable),
      settled: this.snapshot.settled,
    };
    const told = JSON.stringify(state);
    if (told === this.toldState) return {};
    this.toldState = told;
    return state;
  }

  private answerAll(): void {
    for (const answer of this.answers.values()) answer();
    this.answers.clear();
  }

  /**
   * Messages leave in order from the next turn of the event loop, a few ms of serializing at a
   * time: a first fill of 100k pods is ~200 messages, never one long block.
   */
  private enqueue(message: ToWorker): void {
    if (this.stopped) return;
    this.outbox.push(message);
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => this.pump());
  }

  private pump(): void {
    const started = performance.now();
    while (this.outbox.length) {
      this.isolate.post(this.outbox.shift()!);
      if (this.outbox.length && performance.now() - started > POST_BUDGET_MS) {
        setImmediate(() => this.pump());
        return;
      }
    }
    this.pumping = false;
  }

  private receive(message: FromWorker): void {
    if (message.type === 'answered') {
      this.answers.get(message.seq)?.();
      this.answers.delete(message.seq);
      return;
    }
    if (message.type === 'changes') {
      this.arriving.push(...message.changes);
      return;
    }
    // The evaluation's changes are applied together: a request reads one evaluation or the next.
    const changes = this.arriving.length ? [...this.arriving, ...message.changes] : message.changes;
    this.arriving = [];
    const { apply, announce } = this.replaceNext
      ? this.replaced(changes)
      : { apply: changes, announce: changes };
    this.replaceNext = false;
    this.apply(apply);
    this.evaluatedAt = message.evaluatedAt;
    this.evaluationMs = message.evaluationMs;
    this.lastRun = message.lastRun;
    // lastSeen is the evaluation's time for every live finding; set in place (they are this side's copies).
    const seen = new Date(message.evaluatedAt).toISOString();
    for (const finding of this.findings.values()) finding.lastSeen = seen;
    for (const change of announce) this.emit(change);
    this.options.onEvaluated?.(this);
  }

  /**
   * A new engine's first evaluation against the findings held here: what it did not find is
   * resolved, and what was already known keeps its firstSeen and is announced only if it changed.
   */
  private replaced(changes: FindingChange[]): {
    apply: FindingChange[];
    announce: FindingChange[];
  } {
    const apply: FindingChange[] = [];
    const announce: FindingChange[] = [];
    const found = new Set(changes.map((c) => c.finding.id));
    for (const [id, finding] of this.findings)
      if (!found.has(id)) apply.push({ type: 'resolved', finding });
    for (const { finding } of changes) {
      const known = this.findings.get(finding.id);
      const change: FindingChange = known
        ? { type: 'updated', finding: { ...finding, firstSeen: known.firstSeen } }
        : { type: 'opened', finding };
      apply.push(change);
      if (!known || findingSignature(known) !== findingSignature(change.finding))
        announce.push(change);
    }
    for (const change of apply) if (change.type === 'resolved') announce.push(change);
    return { apply, announce };
  }

  private apply(changes: FindingChange[]): void {
    for (const { type, finding } of changes)
      if (type === 'resolved') this.findings.delete(finding.id);
      else this.findings.set(finding.id, withSharedTexts(finding));
  }
}
