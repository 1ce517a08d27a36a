import type { Finding } from '../cluster-state/finding';
import { withSharedTexts } from './shared-texts';

const finding = (): Finding => ({
  id: 'f1',
  clusterId: 'c1',
  code: 'CONTAINER_NO_PROBES',
  severity: 'info',
  source: 'kubernetes',
  object: { group: '', kind: 'Pod', namespace: 'shop', name: 'web-1' },
  message: 'Container app have neither a readiness nor a liveness probe.',
  evidence: { fields: { containers: ['app'] }, events: [] },
  suggestion: 'Add a readinessProbe.',
  count: 1,
  firstSeen: '2026-12-08T01:00:00.000Z',
  lastSeen: '2026-12-08T01:00:15.000Z',
});

describe('withSharedTexts', () => {
  // Which instance a string is cannot be seen from JavaScript; the heap snapshot in
  // docs/performance.md shows the copies gone. What a test can hold is that nothing else changes.
  it('keeps every field of the finding as it was, in the same object', () => {
    const original = finding();
    const shared = withSharedTexts(original);
    expect(shared).toBe(original);
    expect(shared).toEqual(finding());
  });
});
