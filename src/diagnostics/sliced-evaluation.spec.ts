import type { ClusterSnapshot } from '../monitor/cluster-snapshot';
import { evaluate, evaluateSliced } from './evaluate';
import { sortSteps } from './sort-steps';
import { IncrementalEvaluation } from './incremental-evaluation';
import { drainNow, Slicer } from './slicer';
import { snapshotInput } from './snapshot-input';
import { ago, NOW, warning } from './testing/diagnostics-builders';
import {
  bigCluster,
  DEPLOYMENTS,
  NAMESPACES,
  PER_DEPLOYMENT,
  podOf,
  random,
} from './testing/generated-cluster';

describe('sliced evaluation on a big generated cluster', () => {
  jest.setTimeout(60_000);
  const full = (snapshot: ClusterSnapshot) => evaluate('big', snapshotInput(snapshot, NOW));

  it('finds exactly what one synchronous pass finds, pausing between slices', async () => {
    const { snapshot } = bigCluster();
    const oneShot = full(snapshot);
    // Every kind of finding the generator plays is there, so the comparison covers them all.
    expect(new Set(oneShot.map((f) => f.code))).toEqual(
      new Set([
        'POD_CRASH_LOOP',
        'POD_IMAGE_PULL',
        'POD_MISSING_CONFIGMAP',
        'POD_EVICTED',
        'POD_NOT_READY',
        'INGRESS_MISSING_SERVICE',
        'DEPLOYMENT_UNAVAILABLE',
        'SERVICE_NO_MATCHING_PODS',
        'SERVICE_NO_READY_ENDPOINTS',
        'NODE_NOT_READY',
        'NETWORK_POLICY_NO_PODS',
      ]),
    );
    expect(oneShot.some((f) => /only pods in namespace/.test(f.message))).toBe(true);
    // A zero budget pauses after every step: the finest slicing there is.
    let pauses = 0;
    const slicer = new Slicer(async () => void pauses++, 0);
    const sliced = await evaluateSliced('big', snapshotInput(snapshot, NOW), slicer);
    expect(sliced).toEqual(oneShot);
    expect(pauses).toBeGreaterThan((DEPLOYMENTS * PER_DEPLOYMENT) / 64);
  });

  it('stays equal to a full evaluation through pod changes, deletions, relabels and events', async () => {
    const { snapshot, put, remove } = bigCluster();
    const incremental = new IncrementalEvaluation(snapshot);
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    // JSON too: findings kept from an earlier run must be the same text, key order included.
    const same = async () => {
      const expected = full(snapshot);
      const found = await incremental.run(NOW, pause);
      expect(found).toEqual(expected);
      expect(JSON.stringify(found)).toBe(JSON.stringify(expected));
    };
    await same();
    const next = random(7);
    for (let round = 0; round < 8; round++) {
      if (round === 3) {
        // Nothing changed: every finding is last run's.
        await same();
        continue;
      }
      if (round % 2) {
        // Warning events come and go: evidence changes for some findings, not for the others.
        const [first] = snapshot.list('warningevents');
        remove('warningevents', first);
        put('warningevents', { ...first, count: first.count + round, last: ago(round) });
        const d = Math.floor(next() * DEPLOYMENTS);
        put('warningevents', warning('Pod', `d-${d}-rs-0`, `ns-${d % NAMESPACES}`, 'Unhealthy'));
      }
      if (round === 5) {
        // A ReplicaSet adopted by another Deployment: its pods' findings move to that workload.
        const [rs] = snapshot.list('replicasets').filter((r) => r.name === 'd-0-rs');
        put('replicasets', { ...rs, owner: { ...rs.owner!, name: 'd-1' } });
      }
      for (let c = 0; c < 40; c++) {
        const d = Math.floor(next() * DEPLOYMENTS);
        const i = Math.floor(next() * PER_DEPLOYMENT);
        const p = podOf(d, i, Math.floor(next() * 6));
        const roll = next();
        if (roll < 0.2) incremental.noteChange(remove('pods', p));
        else if (roll < 0.3)
          // Relabelled into another app's selector: a Service's matches move between namespaces.
          incremental.noteChange(
            put('pods', { ...p, labels: { app: `d-${(d + 1) % DEPLOYMENTS}` } }),
          );
        else incremental.noteChange(put('pods', p));
      }
      await same();
    }
  });
});

describe('sortSteps', () => {
  it('sorts as Array.prototype.sort does, stable, at every size', () => {
    const next = random(3);
    for (const size of [0, 1, 2, 3, 7, 64, 513, 2000]) {
      const items = Array.from({ length: size }, (_, i) => ({ k: Math.floor(next() * 20), i }));
      const compare = (a: { k: number }, b: { k: number }) => a.k - b.k;
      expect(drainNow(sortSteps(items, compare))).toEqual([...items].sort(compare));
    }
  });
});
