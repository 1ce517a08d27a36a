import { slimWorkload } from '../cluster-state/records/workload';
import { POD_CHUNK } from './detector-runs';
import { evaluate, evaluateSliced } from './evaluate';
import { findingId } from '../cluster-state/finding-id';
import { Slicer } from './slicer';
import { slimSpecObject } from '../cluster-state/records/spec-object';
import { clusterHealth, healthScore } from './health-score';
import type { Finding } from '../cluster-state/finding';
import { inputOf, pod, waiting, warning } from './testing/diagnostics-builders';

const crashing = (name: string, rs: string) =>
  pod(name, {
    ready: false,
    owner: { kind: 'ReplicaSet', name: rs },
    containerStatuses: [waiting('CrashLoopBackOff', 5)],
  });

describe('evaluate', () => {
  const input = inputOf({
    pods: [
      ...Array.from({ length: 100 }, (_, i) => crashing(`web-abc-${i}`, 'web-abc')),
      crashing('bare', ''),
    ].map((p) => (p.name === 'bare' ? { ...p, owner: undefined } : p)),
    replicasets: [
      slimWorkload({
        metadata: {
          name: 'web-abc',
          namespace: 'shop',
          ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
        },
        spec: { replicas: 100 },
        status: {},
      }),
    ],
    warningevents: [
      // web-abc-1: evidence names a group's first pods by namespace and name (0, 1, 10, 11, …).
      warning('Pod', 'web-abc-1', 'shop', 'BackOff'),
      warning('Deployment', 'web', 'shop', 'ProgressDeadline'),
      warning('Pod', 'web-abc-1', 'other', 'Unrelated'),
    ],
  });

  it('groups 100 crashing pods of one Deployment into one finding naming the Deployment, with a count', () => {
    const found = evaluate('c1', input).filter((f) => f.code === 'POD_CRASH_LOOP');
    expect(found.map((f) => [f.object.kind, f.object.name, f.count])).toEqual([
      ['Pod', 'bare', 1],
      ['Deployment', 'web', 100],
    ]);
    expect(found[1].object.group).toBe('apps');
    expect(found[1].message).toMatch(/^100 pods of Deployment shop\/web: /);
    expect(found[1].evidence.objects).toHaveLength(5);
  });

  it('attaches Warning events of the object, its owners and its pods, from the same namespace only', () => {
    const deployment = evaluate('c1', input).find((f) => f.object.kind === 'Deployment')!;
    expect(deployment.evidence.events.map((e) => `${e.object} ${e.reason}`).sort()).toEqual([
      'Deployment shop/web ProgressDeadline',
      'Pod shop/web-abc-1 BackOff',
    ]);
  });

  it('finds the same whatever order the pods come in (an incremental run finds changed pods last)', () => {
    const shuffled = inputOf({
      ...Object.fromEntries(
        (['replicasets', 'warningevents'] as const).map((k) => [k, input.list(k)]),
      ),
      // Each pod of the Deployment crashing differently: the first pod's message is the finding's.
      pods: input
        .list('pods')
        .map((p, i) => (i % 7 ? p : { ...p, containers: [{ ...p.containers![0], restarts: i }] }))
        .reverse(),
    });
    const ordered = inputOf({
      ...Object.fromEntries(
        (['replicasets', 'warningevents'] as const).map((k) => [k, input.list(k)]),
      ),
      pods: shuffled.list('pods').slice().reverse(),
    });
    expect(JSON.stringify(evaluate('c1', shuffled))).toBe(JSON.stringify(evaluate('c1', ordered)));
  });

  it('gives a finding an id that is stable across evaluations and distinct per cluster, code and object', () => {
    const ref = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };
    expect(evaluate('c1', input).find((f) => f.object.kind === 'Deployment')?.id).toBe(
      findingId('c1', 'POD_CRASH_LOOP', ref),
    );
    expect(findingId('c2', 'POD_CRASH_LOOP', ref)).not.toBe(findingId('c1', 'POD_CRASH_LOOP', ref));
    expect(findingId('c1', 'POD_CRASH_LOOP', ref)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('finds the same in slices as in one pass, yielding between slices and detectors', async () => {
    const many = inputOf({
      pods: Array.from({ length: POD_CHUNK * 20 + 7 }, (_, i) =>
        i % 500 === 0 ? crashing(`p-${i}`, '') : pod(`p-${i}`, { labels: { app: `a${i % 50}` } }),
      ),
      services: [
        slimSpecObject({
          metadata: { name: 'a7', namespace: 'shop' },
          spec: { selector: { app: 'a7' } },
        }),
        slimSpecObject({
          metadata: { name: 'zz', namespace: 'shop' },
          spec: { selector: { app: 'zz' } },
        }),
      ],
    });
    let pauses = 0;
    const sliced = await evaluateSliced('c1', many, new Slicer(async () => void pauses++, 0));
    expect(sliced).toEqual(evaluate('c1', many));
    expect(sliced.map((f) => f.code)).toContain('SERVICE_NO_MATCHING_PODS');
    expect(pauses).toBeGreaterThan(20);
  });

  it('keeps evaluating when one detector throws', () => {
    const broken = {
      name: 'broken',
      needs: [],
      detect: () => {
        throw new Error('bug');
      },
    };
    const ok = {
      name: 'ok',
      needs: [],
      detect: () => [
        {
          code: 'X',
          severity: 'info' as const,
          object: { group: '', kind: 'Node', namespace: '', name: 'n' },
          message: 'm',
          fields: {},
          suggestion: 's',
        },
      ],
    };
    expect(evaluate('c1', input, [broken, ok]).map((f) => f.code)).toEqual(['X']);
  });
});

describe('health score', () => {
  const finding = (severity: Finding['severity'], namespace: string, code = 'C'): Finding => ({
    id: `${severity}${namespace}${code}`,
    clusterId: 'c',
    code,
    severity,
    source: 'kubernetes',
    object: { group: '', kind: 'Pod', namespace, name: 'x' },
    message: '',
    evidence: { fields: {}, events: [] },
    suggestion: '',
    count: 1,
    firstSeen: '',
    lastSeen: '',
  });

  it('is 100 minus 15 per critical, 5 per warning and 1 per info finding, never below 0, with its deductions', () => {
    const score = healthScore([
      finding('critical', 'a'),
      finding('warning', 'a'),
      finding('info', 'b'),
    ]);
    expect(score.score).toBe(79);
    expect(score.counts).toEqual({ critical: 1, warning: 1, info: 1 });
    expect(score.deductions.map((d) => d.points)).toEqual([15, 5, 1]);
    expect(
      healthScore(Array.from({ length: 8 }, (_, i) => finding('critical', 'a', `C${i}`))).score,
    ).toBe(0);
  });

  it('scores every namespace, healthy ones at 100, and counts cluster-scoped findings for the cluster only', () => {
    const node = {
      ...finding('critical', ''),
      object: { group: '', kind: 'Node', namespace: '', name: 'n' },
    };
    const health = clusterHealth([finding('warning', 'a'), node], ['a', 'b']);
    expect(health.cluster.score).toBe(80);
    expect(health.namespaces.map((n) => [n.namespace, n.score])).toEqual([
      ['a', 95],
      ['b', 100],
    ]);
  });
});
