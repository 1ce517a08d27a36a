import type { RelatedObject } from './relations';
import { rankSuspects, TimelineChange } from './suspects';

const BEGIN = Date.parse('2026-12-07T08:00:00Z');
const at = (secondsBefore: number) => new Date(BEGIN - secondsBefore * 1000).toISOString();

const change = (over: Partial<TimelineChange>): TimelineChange => ({
  id: over.name ?? 'x',
  at: at(60),
  kind: 'Deployment',
  namespace: 'shop',
  name: 'api',
  category: 'template',
  manager: 'kubectl',
  summary: 'image of container app changed from 1.4.2 to 1.5.0',
  diff: [],
  ...over,
});

const related: RelatedObject[] = [
  { kind: 'Deployment', namespace: 'shop', name: 'api', distance: 0, relation: 'this' },
  {
    kind: 'ConfigMap',
    namespace: 'shop',
    name: 'settings',
    distance: 1,
    relation: 'which its pods reference',
  },
];

describe('rankSuspects', () => {
  const finding = { code: 'POD_CRASH_LOOP', firstSeen: new Date(BEGIN).toISOString() };

  it('puts the template change first, above the rollout it caused and an unrelated change', () => {
    const suspects = rankSuspects(finding, related, [
      change({ id: 'noise', name: 'other' }),
      change({ id: 'rollout', category: 'rollout', at: at(55), summary: 'rolled out revision 2' }),
      change({ id: 'created', category: 'created', at: at(600), summary: 'created' }),
      change({ id: 'image', at: at(120) }),
    ]);
    expect(suspects.map((s) => s.change.id)).toEqual(['image', 'rollout', 'created']);
    expect(suspects[0].reason).toBe(
      'image of container app changed from 1.4.2 to 1.5.0 on this Deployment by kubectl 2 min before the crash loop began',
    );
  });

  it('ranks by relation distance and time, and ignores changes long after the finding began', () => {
    const suspects = rankSuspects(finding, related, [
      change({ id: 'far', at: at(3000) }),
      change({ id: 'near-cm', kind: 'ConfigMap', name: 'settings', category: 'data', at: at(30) }),
      change({ id: 'after', at: at(-60) }),
    ]);
    expect(suspects.map((s) => s.change.id)).toEqual(['near-cm', 'far']);
    expect(suspects[0].reason).toContain('ConfigMap shop/settings (which its pods reference)');
  });
});
