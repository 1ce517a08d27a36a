import type { Finding } from '../cluster-state/finding';
import type { FindingBoard, FindingChange, FindingChangeType } from './finding-board';
import { ActiveSilence, SilenceMarker, SilenceMetaLookup, silenceOf } from './silence-matching';

/** A finding as routes, the stream and the assistant see it: with why it is silenced, if it is. */
export type MarkedFinding = Finding & { silenced?: SilenceMarker };

/**
 * One change of a cluster's marked findings. `silencing` is a change of the marker alone (a
 * silence created, expired or deleted; an annotation added or removed): each view of the stream
 * turns it into what its client must do (streamChange).
 */
export interface MarkedChange {
  type: FindingChangeType;
  finding: MarkedFinding;
  silencing?: true;
}

export type MarkedListener = (change: MarkedChange) => void;

const markerKey = (m: SilenceMarker | undefined): string =>
  m ? `${m.by}/${m.silenceId ?? m.object}` : '';

const marked = (finding: Finding, marker: SilenceMarker | undefined): MarkedFinding =>
  marker ? { ...finding, silenced: marker } : finding;

/**
 * A cluster's findings with their silence markers, on the request thread. Silencing never reaches
 * the engine: silenced findings are still computed (and leave the list only when their condition
 * does); they are marked, cost no points and are hidden by default. Markers are recomputed after
 * every evaluation that follows a change of the cluster's objects (an annotation or a label
 * arrives with its object's change), whenever the silences change and when one expires (the
 * store's timer), so an expired silence does not wait for a cluster change.
 */
export class SilencedFindings {
  private markers = new Map<string, SilenceMarker>();
  private readonly listeners = new Set<MarkedListener>();
  /** Whether an object changed since the last refresh; always, without `objectChanges`. */
  private objectsChanged = true;
  private announced = 0;

  /**
   * `objectChanges` subscribes to every change of the cluster's objects (the snapshot): without
   * one, every evaluation recomputes every marker.
   */
  constructor(
    private readonly board: FindingBoard,
    private readonly silences: () => readonly ActiveSilence[],
    private readonly lookup: SilenceMetaLookup,
    private readonly clock: () => number = Date.now,
    private readonly objectChanges?: (listener: () => void) => () => void,
  ) {}

  /** Follows the board's changes and the objects'; returns the unsubscribe. */
  start(): () => void {
    const stopRelay = this.board.onChange((change) => this.relay(change));
    const stopObjects = this.objectChanges?.(() => (this.objectsChanged = true));
    return () => {
      stopRelay();
      stopObjects?.();
    };
  }

  /**
   * A number that differs whenever a finding or a marker was announced since it was read: a
   * reader of `counted()` compares it to skip an unchanged cluster.
   */
  get version(): number {
    return this.announced;
  }

  /** Every current finding, marked. */
  list(): MarkedFinding[] {
    return this.board.list().map((f) => marked(f, this.markers.get(f.id)));
  }

  get(id: string): MarkedFinding | undefined {
    const finding = this.board.get(id);
    return finding && marked(finding, this.markers.get(id));
  }

  /** The findings that cost points: those not silenced. */
  counted(): Finding[] {
    return this.board.list().filter((f) => !this.markers.has(f.id));
  }

  onChange(listener: MarkedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * After an evaluation. Its changed findings were marked as they arrived (relay), and silences
   * and their expiry refresh on their own: what is left is an object whose labels or annotation
   * changed. Without any object change the markers stand, and 20,000 findings are not walked
   * again (~50 ms of the event loop every resync at 10k pods).
   */
  refreshAfterEvaluation(now = this.clock()): void {
    if (this.objectsChanged) this.refresh(now);
  }

  /** Recomputes every marker at `now`; each finding whose marker changed is announced. */
  refresh(now = this.clock()): void {
    this.objectsChanged = !this.objectChanges;
    const silences = this.silences();
    const next = new Map<string, SilenceMarker>();
    for (const finding of this.board.list()) {
      const marker = silenceOf(finding, silences, this.lookup, now);
      if (marker) next.set(finding.id, marker);
      const before = this.markers.get(finding.id);
      if (markerKey(before) !== markerKey(marker))
        this.emit({ type: 'updated', finding: marked(finding, marker), silencing: true });
    }
    this.markers = next;
  }

  private relay({ type, finding }: FindingChange): void {
    const before = this.markers.get(finding.id);
    if (type === 'resolved') {
      this.markers.delete(finding.id);
      return this.emit({ type, finding: marked(finding, before) });
    }
    const marker = silenceOf(finding, this.silences(), this.lookup, this.clock());
    if (marker) this.markers.set(finding.id, marker);
    else this.markers.delete(finding.id);
    const silencing = type === 'updated' && markerKey(before) !== markerKey(marker);
    this.emit({ type, finding: marked(finding, marker), ...(silencing ? { silencing } : {}) });
  }

  private emit(change: MarkedChange): void {
    this.announced++;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One broken subscriber (a closed stream) must not stop the others.
      }
    }
  }
}

/**
 * The change as one stream shows it. Without silenced findings, a finding that becomes silenced
 * is `resolved` for that client (with the marker saying why) and one whose silence ends is
 * `opened` again; changes of silenced findings are not sent. With them, a marker change is an
 * `updated`. Either way the client's list stays what the list route would answer.
 */
export function streamChange(
  change: MarkedChange,
  includeSilenced: boolean,
): FindingChange | undefined {
  const { finding } = change;
  if (includeSilenced)
    return { type: change.silencing ? 'updated' : change.type, finding: change.finding };
  if (change.silencing) return { type: finding.silenced ? 'resolved' : 'opened', finding };
  return finding.silenced ? undefined : { type: change.type, finding };
}
