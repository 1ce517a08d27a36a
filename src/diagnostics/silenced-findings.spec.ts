import type { Finding } from '../cluster-state/finding';
import { FindingBoard } from './finding-board';
import { ActiveSilence, SilenceObjectMeta } from './silence-matching';
import { MarkedChange, SilencedFindings, streamChange } from './silenced-findings';

class TestBoard extends FindingBoard {
  open(f: Finding): void {
    this.findings.set(f.id, f);
    this.emit({ type: 'opened', finding: f });
  }

  resolve(id: string): void {
    const f = this.findings.get(id)!;
    this.findings.delete(id);
    this.emit({ type: 'resolved', finding: f });
  }
}

const finding = (id: string, code: string, name: string): Finding => ({
  id,
  clusterId: 'c1',
  code,
  severity: 'critical',
  source: 'kubernetes',
  object: { group: '', kind: 'Pod', namespace: 'shop', name },
  message: '',
  evidence: { fields: {}, events: [] },
  suggestion: '',
  count: 1,
  firstSeen: '',
  lastSeen: '',
});

const NOW = Date.parse('2026-06-01T12:00:00Z');

const silence = (code: string, expiresAtMs = NOW + 60_000): ActiveSilence => ({
  id: `s-${code}`,
  matchers: { code },
  comment: '',
  author: 'alice',
  expiresAt: new Date(expiresAtMs).toISOString(),
  expiresAtMs,
});

function setUp(annotations: Record<string, SilenceObjectMeta> = {}, followObjects = false) {
  const board = new TestBoard();
  let silences: ActiveSilence[] = [];
  const objectListeners = new Set<() => void>();
  const view = new SilencedFindings(
    board,
    () => silences,
    (r) => annotations[r.name],
    () => NOW,
    followObjects
      ? (listener) => {
          objectListeners.add(listener);
          return () => objectListeners.delete(listener);
        }
      : undefined,
  );
  const stop = view.start();
  const changes: MarkedChange[] = [];
  view.onChange((c) => changes.push(c));
  const shown = (include: boolean) =>
    changes
      .map((c) => streamChange(c, include))
      .filter((c) => c !== undefined)
      .map((c) => `${c.type} ${c.finding.object.name}`);
  const objectChanged = () => objectListeners.forEach((listener) => listener());
  return {
    board,
    view,
    changes,
    shown,
    stop,
    objectChanged,
    set: (s: ActiveSilence[]) => (silences = s),
  };
}

describe('SilencedFindings', () => {
  it('marks silenced findings, keeps them listed and leaves them out of what costs points', () => {
    const { board, view, set } = setUp();
    set([silence('POD_CRASH_LOOP')]);
    board.open(finding('a', 'POD_CRASH_LOOP', 'web'));
    board.open(finding('b', 'POD_IMAGE_PULL', 'api'));
    expect(view.list().map((f) => [f.id, f.silenced?.silenceId])).toEqual([
      ['a', 's-POD_CRASH_LOOP'],
      ['b', undefined],
    ]);
    expect(view.counted().map((f) => f.id)).toEqual(['b']);
    expect(view.get('a')?.silenced?.by).toBe('silence');
  });

  it('announces a silence that starts and ends, per view, without any change of the findings', () => {
    const { board, view, shown, set } = setUp();
    board.open(finding('a', 'POD_CRASH_LOOP', 'web'));
    set([silence('POD_CRASH_LOOP', NOW + 1000)]);
    view.refresh(NOW);
    view.refresh(NOW + 500); // nothing changed: nothing announced
    view.refresh(NOW + 1000); // expired
    expect(shown(false)).toEqual(['opened web', 'resolved web', 'opened web']);
    expect(shown(true)).toEqual(['opened web', 'updated web', 'updated web']);
    expect(view.counted().map((f) => f.id)).toEqual(['a']);
  });

  it("hides a silenced finding's own changes from the default view only", () => {
    const { board, shown, set } = setUp({ web: { ignore: ['POD_CRASH_LOOP'] } });
    set([silence('POD_IMAGE_PULL')]);
    board.open(finding('a', 'POD_CRASH_LOOP', 'web'));
    board.open(finding('b', 'POD_IMAGE_PULL', 'api'));
    board.open(finding('c', 'POD_FAILED', 'job'));
    board.resolve('a');
    expect(shown(false)).toEqual(['opened job']);
    expect(shown(true)).toEqual(['opened web', 'opened api', 'opened job', 'resolved web']);
  });

  it('forgets the marker of a resolved finding', () => {
    const { board, view, set } = setUp();
    set([silence('POD_CRASH_LOOP')]);
    board.open(finding('a', 'POD_CRASH_LOOP', 'web'));
    board.resolve('a');
    set([]);
    board.open(finding('a', 'POD_CRASH_LOOP', 'web'));
    expect(view.counted().map((f) => f.id)).toEqual(['a']);
  });

  it('after an evaluation, recomputes markers only once an object changed (when it follows them)', () => {
    const annotations: Record<string, SilenceObjectMeta> = {};
    const { board, view, shown, stop, objectChanged } = setUp(annotations, true);
    board.open(finding('a', 'POD_CRASH_LOOP', 'web'));
    view.refreshAfterEvaluation(); // the first one always runs
    const before = view.version;
    annotations.web = { ignore: ['POD_CRASH_LOOP'] };
    view.refreshAfterEvaluation(); // no object changed: the annotation is not read
    expect(shown(false)).toEqual(['opened web']);
    expect(view.version).toBe(before);
    objectChanged();
    view.refreshAfterEvaluation();
    expect(shown(false)).toEqual(['opened web', 'resolved web']);
    expect(view.version).toBe(before + 1);
    expect(view.counted()).toEqual([]);
    stop();
    delete annotations.web;
    objectChanged(); // unsubscribed: no longer heard
    view.refreshAfterEvaluation();
    expect(view.counted()).toEqual([]);
  });

  it('without a source of object changes, recomputes markers after every evaluation', () => {
    const annotations: Record<string, SilenceObjectMeta> = {};
    const { board, view, shown } = setUp(annotations);
    board.open(finding('a', 'POD_CRASH_LOOP', 'web'));
    view.refreshAfterEvaluation();
    annotations.web = { ignore: ['POD_CRASH_LOOP'] };
    view.refreshAfterEvaluation();
    expect(shown(false)).toEqual(['opened web', 'resolved web']);
  });
});
