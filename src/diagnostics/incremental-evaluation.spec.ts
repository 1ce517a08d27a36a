import type { ClusterSnapshot, SnapshotChange } from '../monitor/cluster-snapshot';
import { evaluate } from './evaluate';
import { IncrementalEvaluation } from './incremental-evaluation';
import { snapshotInput } from './snapshot-input';
import { NOW, pod, waiting } from './testing/diagnostics-builders';

/** The snapshot port over plain maps, for pods and ConfigMaps. */
function mapSnapshot() {
  const kinds: Record<string, Map<string, any>> = { pods: new Map(), configmaps: new Map() };
  const snapshot = {
    clusterId: 'c1',
    settled: true,
    list: (kind: string) => [...(kinds[kind]?.values() ?? [])],
    get: (kind: string, name: string, ns?: string) => kinds[kind]?.get(`${ns}/${name}`),
    caches: (kind: string) => kind in kinds,
    status: () => ({ pods: { lastSyncedAt: 't' }, configmaps: { lastSyncedAt: 't' } }),
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
    // A ConfigMap appearing changes another pod's findings: every pod is evaluated again.
    incremental.noteChange(put('configmaps', { name: 'settings', namespace: 'shop' }));
    expect((await incremental.run(NOW, pause)).map((f) => f.code)).toEqual(['POD_CRASH_LOOP']);
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
