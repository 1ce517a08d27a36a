import type { ClusterSnapshot, SnapshotChange } from '../monitor/cluster-snapshot';
import { DETECTORS } from './detectors';
import type { Detector } from './detectors/detector';
import { evaluate } from './evaluate';
import type { EvaluatedFinding } from '../cluster-state/finding';
import { IncrementalEvaluation } from './incremental-evaluation';
import { snapshotInput } from './snapshot-input';
import { ago, NOW, pod, waiting, warning } from './testing/diagnostics-builders';
import { slimEndpointSlice } from '../cluster-state/records/networking';
import { slimSpecObject } from '../cluster-state/records/spec-object';
import { READY_GRACE_SECONDS } from './detectors/service-backends';

/** The snapshot port over plain maps, for pods, ConfigMaps and Warning events. */
function mapSnapshot() {
  const kinds: Record<string, Map<string, any>> = {
    pods: new Map(),
    configmaps: new Map(),
    warningevents: new Map(),
  };
  const snapshot = {
    clusterId: 'c1',
    settled: true,
    list: (kind: string) => [...(kinds[kind]?.values() ?? [])],
    get: (kind: string, name: string, ns?: string) => kinds[kind]?.get(`${ns}/${name}`),
    caches: (kind: string) => kind in kinds,
    status: () => ({
      pods: { lastSyncedAt: 't' },
      configmaps: { lastSyncedAt: 't' },
      warningevents: { lastSyncedAt: 't' },
    }),
    aggregates: { allocation: () => undefined },
  } as unknown as ClusterSnapshot;
  const put = (kind: string, record: any): SnapshotChange => {
    kinds[kind].set(`${record.namespace}/${record.name}`, record);
    return { kind: kind as never, type: 'updated', record };
  };
  return { snapshot, put };
}

const usesConfig = (name: string) =>
  pod(name, { spec: { volumes: [{ name: 'c', configMap: { name: 'settings' } }] } });

describe('IncrementalEvaluation', () => {
  const pause = async () => undefined;

  it('re-evaluates only the pods that changed and still finds what a full evaluation finds', async () => {
    const { snapshot, put } = mapSnapshot();
    for (let i = 0; i < 1200; i++) put('pods', pod(`p${i}`));
    put('pods', usesConfig('reader'));
    const incremental = new IncrementalEvaluation(snapshot);
    const full = () => evaluate('c1', snapshotInput(snapshot, NOW));
    expect(await incremental.run(NOW, pause)).toEqual(full());
    incremental.noteChange(
      put('pods', pod('p7', { ready: false, containerStatuses: [waiting('CrashLoopBackOff', 3)] })),
    );
    const afterCrash = await incremental.run(NOW, pause);
    expect(afterCrash.map((f) => f.code)).toEqual(['POD_CRASH_LOOP', 'POD_MISSING_CONFIGMAP']);
    expect(afterCrash).toEqual(full());
    // A ConfigMap appearing changes another pod's findings: its namespace's pods are evaluated again.
    incremental.noteChange(put('configmaps', { name: 'settings', namespace: 'shop' }));
    expect((await incremental.run(NOW, pause)).map((f) => f.code)).toEqual(['POD_CRASH_LOOP']);
  });

  it('evaluates again only the pods of the namespace where a looked-up kind changed', async () => {
    const { snapshot, put } = mapSnapshot();
    for (const namespace of ['shop', 'billing'])
      for (let i = 0; i < 100; i++) put('pods', pod(`p${i}`, { namespace }));
    put(
      'pods',
      pod('reader', {
        namespace: 'billing',
        spec: { volumes: [{ name: 'c', configMap: { name: 'settings' } }] },
      }),
    );
    const seen: string[] = [];
    const watching: Detector = {
      name: 'watching',
      needs: ['pods'],
      over: ['pods'],
      detect: (input) => {
        for (const p of input.list('pods')) seen.push(`${p.namespace}/${p.name}`);
        return [];
      },
    };
    const incremental = new IncrementalEvaluation(snapshot, [...DETECTORS, watching]);
    const full = () => evaluate('c1', snapshotInput(snapshot, NOW));
    expect((await incremental.run(NOW, pause)).map((f) => f.code)).toEqual([
      'POD_MISSING_CONFIGMAP',
    ]);
    expect(seen).toHaveLength(201);

    seen.length = 0;
    incremental.noteChange(put('configmaps', { name: 'settings', namespace: 'shop' }));
    expect(await incremental.run(NOW, pause)).toEqual(full());
    expect(seen).toHaveLength(100);
    expect(seen.every((key) => key.startsWith('shop/'))).toBe(true);

    // The ConfigMap the billing pod reads appears: billing's pods only, and its finding is gone.
    seen.length = 0;
    incremental.noteChange(put('configmaps', { name: 'settings', namespace: 'billing' }));
    expect(await incremental.run(NOW, pause)).toEqual([]);
    expect(full()).toEqual([]);
    expect(seen).toHaveLength(101);
    expect(seen.every((key) => key.startsWith('billing/'))).toBe(true);
  });

  it('hands back an unchanged finding as the same object, and makes a changed one anew', async () => {
    const { snapshot, put } = mapSnapshot();
    const crashing = (name: string, restarts: number) =>
      pod(name, { ready: false, containerStatuses: [waiting('CrashLoopBackOff', restarts)] });
    for (const name of ['a', 'b', 'c']) put('pods', crashing(name, 3));
    put('warningevents', warning('Pod', 'c', 'shop', 'BackOff'));
    const incremental = new IncrementalEvaluation(snapshot);
    const full = () => evaluate('c1', snapshotInput(snapshot, NOW));
    const byName = (found: EvaluatedFinding[]) => new Map(found.map((f) => [f.object.name, f]));
    const first = byName(await incremental.run(NOW, pause));

    // b crashes once more: a new finding for b; a and c are the very objects of the last run.
    incremental.noteChange(put('pods', crashing('b', 4)));
    const afterB = await incremental.run(NOW, pause);
    expect(afterB).toEqual(full());
    const second = byName(afterB);
    expect(second.get('a')).toBe(first.get('a'));
    expect(second.get('c')).toBe(first.get('c'));
    expect(second.get('b')).not.toBe(first.get('b'));
    expect(second.get('b')!.message).toMatch(/4 restarts/);

    // An event about another object: c's evidence is unchanged, so c is still the same object.
    put('warningevents', warning('Pod', 'elsewhere', 'shop', 'BackOff'));
    const third = byName(await incremental.run(NOW, pause));
    expect(third.get('c')).toBe(first.get('c'));

    // c's own event again, later and counted more: c's evidence changes, the others do not.
    put('warningevents', { ...warning('Pod', 'c', 'shop', 'BackOff'), count: 9 });
    const afterEvent = await incremental.run(NOW, pause);
    expect(afterEvent).toEqual(full());
    const fourth = byName(afterEvent);
    expect(fourth.get('c')).not.toBe(first.get('c'));
    expect(fourth.get('c')!.evidence.events[0].count).toBe(9);
    expect(fourth.get('a')).toBe(first.get('a'));

    // A pod re-sent unchanged is a new record with the same findings: its finding is kept.
    incremental.noteChange(put('pods', crashing('a', 3)));
    const afterResend = await incremental.run(NOW, pause);
    expect(afterResend).toEqual(full());
    expect(byName(afterResend).get('a')).toBe(first.get('a'));
    // The clock moving on re-evaluates the crashing pods; nothing changed, nothing is rebuilt.
    incremental.noteTimePassed();
    const afterResync = byName(await incremental.run(NOW, pause));
    expect(afterResync.get('a')).toBe(first.get('a'));
    expect(afterResync.get('b')).toBe(second.get('b'));
  });

  it('forgets a deleted pod\u2019s findings', async () => {
    const { snapshot, put } = mapSnapshot();
    const crashing = pod('x', {
      ready: false,
      containerStatuses: [waiting('CrashLoopBackOff', 3)],
    });
    put('pods', crashing);
    const incremental = new IncrementalEvaluation(snapshot);
    expect(await incremental.run(NOW, pause)).toHaveLength(1);
    incremental.noteChange({ kind: 'pods', type: 'deleted', record: crashing });
    expect(await incremental.run(NOW, pause)).toEqual([]);
  });
});

describe('IncrementalEvaluation of a Service whose finding waits out a grace period', () => {
  it('reports ready pods left out of the EndpointSlices once the grace has passed, with no change in between', async () => {
    const service = slimSpecObject({
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    const slice = slimEndpointSlice({
      metadata: {
        name: 'web-x',
        namespace: 'shop',
        labels: { 'kubernetes.io/service-name': 'web' },
      },
      endpoints: [],
    });
    const justReady = (name: string) =>
      pod(name, {
        labels: { app: 'web' },
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ago(10) }],
      });
    const records: Record<string, any[]> = {
      pods: [justReady('web-1'), justReady('web-2')],
      services: [service],
      endpointslices: [slice],
    };
    const snapshot = {
      clusterId: 'c1',
      settled: true,
      list: (kind: string) => records[kind] ?? [],
      get: (kind: string, name: string) =>
        records[kind]?.find((r) => (r.name ?? r.metadata.name) === name),
      caches: (kind: string) => kind in records,
      status: () => Object.fromEntries(Object.keys(records).map((k) => [k, { lastSyncedAt: 't' }])),
      aggregates: { allocation: () => undefined },
    } as unknown as ClusterSnapshot;
    const incremental = new IncrementalEvaluation(snapshot);
    const pause = async () => undefined;
    expect((await incremental.run(NOW, pause)).map((f) => f.code)).toEqual([]);
    const later = NOW + (READY_GRACE_SECONDS + 1) * 1000;
    expect((await incremental.run(later, pause)).map((f) => f.code)).toEqual([
      'SERVICE_READY_PODS_NO_ENDPOINTS',
    ]);
  });
});
