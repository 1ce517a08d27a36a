import {
  slimEndpointSlice,
  slimIngress,
  slimNetworkPolicy,
} from '../cluster-state/records/networking';
import { slimSpecObject } from '../cluster-state/records/spec-object';
import { slimWorkload } from '../cluster-state/records/workload';
import type { ClusterSnapshot, SnapshotChange } from '../monitor/cluster-snapshot';
import { evaluate, evaluateSliced, sortSteps } from './evaluate';
import { IncrementalEvaluation } from './incremental-evaluation';
import { drainNow, Slicer } from './slicer';
import { snapshotInput } from './snapshot-input';
import { ago, node, NOW, pod, waiting, warning } from './testing/diagnostics-builders';

/** The snapshot port over plain maps, in the snapshot's insertion order. */
function mapSnapshot(kinds: Record<string, unknown[]>) {
  const key = (r: any) => {
    const name = r.name ?? r.metadata?.name;
    const namespace = r.namespace ?? r.metadata?.namespace;
    return namespace ? `${namespace}/${name}` : name;
  };
  const maps: Record<string, Map<string, any>> = Object.fromEntries(
    Object.entries(kinds).map(([k, list]) => [k, new Map(list.map((r) => [key(r), r]))]),
  );
  const snapshot = {
    clusterId: 'big',
    settled: true,
    list: (kind: string) => [...(maps[kind]?.values() ?? [])],
    get: (kind: string, name: string, ns?: string) => maps[kind]?.get(ns ? `${ns}/${name}` : name),
    caches: (kind: string) => kind in maps,
    status: () => Object.fromEntries(Object.keys(maps).map((k) => [k, { lastSyncedAt: 't' }])),
    aggregates: { allocation: () => undefined },
  } as unknown as ClusterSnapshot;
  const put = (kind: string, record: any): SnapshotChange => {
    maps[kind].set(key(record), record);
    return { kind: kind as never, type: 'updated', record };
  };
  const remove = (kind: string, record: any): SnapshotChange => {
    maps[kind].delete(key(record));
    return { kind: kind as never, type: 'deleted', record };
  };
  return { snapshot, put, remove };
}

/** A deterministic pseudo-random sequence, so a failure replays. */
function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) as number;
}

const NAMESPACES = 40;
const DEPLOYMENTS = 800;
const PER_DEPLOYMENT = 12;

/** One pod of deployment `d`: healthy mostly, else one of the faults the per-pod detectors see. */
function podOf(d: number, i: number, fault: number) {
  const namespace = `ns-${d % NAMESPACES}`;
  const o = {
    namespace,
    labels: { app: `d-${d}`, tier: d % 3 ? 'web' : 'db' },
    owner: { kind: 'ReplicaSet', name: `d-${d}-rs` },
  };
  const name = `d-${d}-rs-${i}`;
  switch (fault) {
    case 1:
      return pod(name, { ...o, ready: false, containerStatuses: [waiting('CrashLoopBackOff', 4)] });
    case 2:
      return pod(name, { ...o, ready: false, containerStatuses: [waiting('ImagePullBackOff')] });
    case 3:
      return pod(name, { ...o, spec: { volumes: [{ name: 'c', configMap: { name: 'gone' } }] } });
    case 4:
      return pod(name, { ...o, ready: false, conditions: [] });
    case 5:
      return pod(name, { ...o, phase: 'Failed', ready: false, status: { reason: 'Evicted' } });
    default:
      return pod(name, o);
  }
}

function bigCluster() {
  const next = random(13);
  const pods = [];
  const deployments = [];
  const replicasets = [];
  const services = [];
  const endpointslices = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const namespace = `ns-${d % NAMESPACES}`;
    for (let i = 0; i < PER_DEPLOYMENT; i++)
      // Every pod of some Deployments is unready: their Service has no ready endpoint.
      pods.push(podOf(d, i, d % 151 === 0 ? 2 : next() < 0.03 ? 1 + Math.floor(next() * 5) : 0));
    const available = next() < 0.05 ? 0 : PER_DEPLOYMENT;
    const status = {
      replicas: PER_DEPLOYMENT,
      availableReplicas: available,
      readyReplicas: available,
      updatedReplicas: PER_DEPLOYMENT,
      conditions: [{ type: 'Available', status: available ? 'True' : 'False' }],
    };
    const meta = { name: `d-${d}`, namespace, creationTimestamp: ago(86_400) };
    deployments.push(slimWorkload({ metadata: meta, spec: { replicas: PER_DEPLOYMENT }, status }));
    replicasets.push(
      slimWorkload({
        metadata: {
          ...meta,
          name: `d-${d}-rs`,
          ownerReferences: [{ kind: 'Deployment', name: `d-${d}`, controller: true }],
        },
        spec: { replicas: PER_DEPLOYMENT },
        status,
      }),
    );
    // Most Services select their Deployment; some a label of another namespace or none at all.
    const selector =
      d % 97 === 0 ? { app: `d-${d + 1}` } : d % 89 === 0 ? { app: 'nobody' } : { app: `d-${d}` };
    services.push(slimSpecObject({ metadata: meta, spec: { selector, ports: [{ port: 80 }] } }));
    if (d % 5 === 0)
      endpointslices.push(
        slimEndpointSlice({
          metadata: {
            name: `d-${d}-x`,
            namespace,
            labels: { 'kubernetes.io/service-name': `d-${d}` },
          },
          endpoints: [{ conditions: { ready: next() < 0.5 } }],
        }),
      );
  }
  const nodes = Array.from({ length: 30 }, (_, n) =>
    node(`n${n}`, [{ type: 'Ready', status: n % 11 === 0 ? 'False' : 'True' }]),
  );
  const warningevents = pods
    .filter((p) => !p.ready)
    .map((p) => warning('Pod', p.name, p.namespace, 'BackOff', ago(30)));
  const ingresses = Array.from({ length: 50 }, (_, i) =>
    slimIngress({
      metadata: { name: `ing-${i}`, namespace: `ns-${i % NAMESPACES}` },
      spec: {
        rules: [
          {
            http: {
              paths: [{ backend: { service: { name: `d-${i * 3}`, port: { number: 80 } } } }],
            },
          },
        ],
      },
    }),
  );
  const networkpolicies = Array.from({ length: 40 }, (_, i) =>
    slimNetworkPolicy({
      metadata: { name: `np-${i}`, namespace: `ns-${i}` },
      spec: { podSelector: { matchLabels: { tier: i % 4 ? 'web' : 'cache' } } },
    }),
  );
  return mapSnapshot({
    pods,
    deployments,
    replicasets,
    statefulsets: [],
    daemonsets: [],
    services,
    endpointslices,
    configmaps: [],
    secrets: [],
    serviceaccounts: [],
    persistentvolumeclaims: [],
    nodes,
    warningevents,
    ingresses,
    networkpolicies,
  });
}

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
