import type { Finding } from '../cluster-state/finding';
import { FindingBoard } from './finding-board';
import { HealthAnswers } from './health-answers';
import { SilencedFindings } from './silenced-findings';

class TestBoard extends FindingBoard {
  open(f: Finding): void {
    this.findings.set(f.id, f);
    this.emit({ type: 'opened', finding: f });
  }
}

const critical = (id: string, namespace: string): Finding => ({
  id,
  clusterId: 'c1',
  code: 'POD_CRASH_LOOP',
  severity: 'critical',
  source: 'kubernetes',
  object: { group: '', kind: 'Pod', namespace, name: id },
  message: '',
  evidence: { fields: {}, events: [] },
  suggestion: '',
  count: 1,
  firstSeen: '',
  lastSeen: '',
});

function setUp() {
  const board = new TestBoard();
  const view = new SilencedFindings(
    board,
    () => [],
    () => undefined,
  );
  view.start();
  return { board, view };
}

describe('HealthAnswers', () => {
  it('scores again when a finding changed, and only then', () => {
    const { board, view } = setUp();
    const answers = new HealthAnswers();
    board.open(critical('a', 'shop'));
    const first = answers.of('c1', view, ['shop'], board.size);
    expect(first.cluster.score).toBe(85);
    const again = answers.of('c1', view, ['shop'], board.size);
    expect(again.cluster).toBe(first.cluster); // the same scores, not computed again
    board.open(critical('b', 'shop'));
    expect(answers.of('c1', view, ['shop'], board.size).cluster.score).toBe(70);
  });

  it('scores again when the namespaces or the view changed', () => {
    const { board, view } = setUp();
    const answers = new HealthAnswers();
    board.open(critical('a', 'shop'));
    answers.of('c1', view, ['shop'], board.size);
    const widened = answers.of('c1', view, ['shop', 'web'], board.size);
    expect(widened.namespaces.map((n) => [n.namespace, n.score])).toEqual([
      ['shop', 85],
      ['web', 100],
    ]);
    const other = setUp();
    expect(answers.of('c1', other.view, ['shop', 'web'], 0).cluster.score).toBe(100);
  });
});
