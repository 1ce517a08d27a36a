import {
  slimEndpointSlice,
  slimIngress,
  slimNetworkPolicy,
} from '../../cluster-state/records/networking';
import { slimSpecObject } from '../../cluster-state/records/spec-object';
import { slimWorkload } from '../../cluster-state/records/workload';
import type {
  ClusterSnapshot,
  SnapshotChange,
  SnapshotListener,
} from '../../monitor/cluster-snapshot';
import { ago, node, pod, waiting, warning } from './diagnostics-builders';

// A generated cluster of 9,600 pods with every kind of finding the per-pod and the main
// whole-cluster detectors raise, for the tests that compare evaluations with each other.

/** The snapshot port over plain maps, in the snapshot's insertion order. */
export function mapSnapshot(kinds: Record<string, unknown[]>) {
  const key = (r: any) => {
    const name = r.name ?? r.metadata?.name;
    const namespace = r.namespace ?? r.metadata?.namespace;
    return namespace ? `${namespace}/${name}` : name;
  };
  const maps: Record<string, Map<string, any>> = Object.fromEntries(
    Object.entries(kinds).map(([k, list]) => [k, new Map(list.map((r) => [key(r), r]))]),
  );
  const listeners = new Set<SnapshotListener>();
  const announce = (change: SnapshotChange): SnapshotChange => {
    for (const listener of listeners) listener(change);
    return change;
  };
  const snapshot = {
    clusterId: 'big',
    settled: true,
    list: (kind: string) => [...(maps[kind]?.values() ?? [])],
    get: (kind: string, name: string, ns?: string) => maps[kind]?.get(ns ? `${ns}/${name}` : name),
    caches: (kind: string) => kind in maps,
    status: () => Object.fromEntries(Object.keys(maps).map((k) => [k, { lastSyncedAt: 't' }])),
    aggregates: { allocation: () => undefined },
    subscribe: (l: SnapshotListener) => (listeners.add(l), () => listeners.delete(l)),
  } as unknown as ClusterSnapshot;
  const put = (kind: string, record: any): SnapshotChange => {
    maps[kind].set(key(record), record);
    return announce({ kind: kind as never, type: 'updated', record });
  };
  const remove = (kind: string, record: any): SnapshotChange => {
    maps[kind].delete(key(record));
    return announce({ kind: kind as never, type: 'deleted', record });
  };
  return { snapshot, put, remove };
}

/** A deterministic pseudo-random sequence, so a failure replays. */
export function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) as number;
}

export const NAMESPACES = 40;
export const DEPLOYMENTS = 800;
export const PER_DEPLOYMENT = 12;

/** One pod of deployment `d`: healthy mostly, else one of the faults the per-pod detectors see. */
export function podOf(d: number, i: number, fault: number) {
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

/** Deployment `d`: its pods, workloads, Service and (for some) EndpointSlice, drawing on `next`. */
function deploymentOf(d: number, next: () => number) {
  const namespace = `ns-${d % NAMESPACES}`;
  const pods = [];
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
  const owner = { kind: 'Deployment', name: `d-${d}`, controller: true };
  // Most Services select their Deployment; some a label of another namespace or none at all.
  const selector =
    d % 97 === 0 ? { app: `d-${d + 1}` } : d % 89 === 0 ? { app: 'nobody' } : { app: `d-${d}` };
  return {
    pods,
    deployment: slimWorkload({ metadata: meta, spec: { replicas: PER_DEPLOYMENT }, status }),
    replicaset: slimWorkload({
      metadata: { ...meta, name: `d-${d}-rs`, ownerReferences: [owner] },
      spec: { replicas: PER_DEPLOYMENT },
      status,
    }),
    service: slimSpecObject({ metadata: meta, spec: { selector, ports: [{ port: 80 }] } }),
    endpointslice:
      d % 5 === 0
        ? slimEndpointSlice({
            metadata: {
              name: `d-${d}-x`,
              namespace,
              labels: { 'kubernetes.io/service-name': `d-${d}` },
            },
            endpoints: [{ conditions: { ready: next() < 0.5 } }],
          })
        : undefined,
  };
}

/** Ingresses to some Deployments' Services, and NetworkPolicies, one per namespace. */
function networking() {
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
  return { ingresses, networkpolicies };
}

export function bigCluster() {
  const next = random(13);
  const deployments = Array.from({ length: DEPLOYMENTS }, (_, d) => deploymentOf(d, next));
  const pods = deployments.flatMap((d) => d.pods);
  const nodes = Array.from({ length: 30 }, (_, n) =>
    node(`n${n}`, [{ type: 'Ready', status: n % 11 === 0 ? 'False' : 'True' }]),
  );
  const warningevents = pods
    .filter((p) => !p.ready)
    .map((p) => warning('Pod', p.name, p.namespace, 'BackOff', ago(30)));
  return mapSnapshot({
    pods,
    deployments: deployments.map((d) => d.deployment),
    replicasets: deployments.map((d) => d.replicaset),
    statefulsets: [],
    daemonsets: [],
    services: deployments.map((d) => d.service),
    endpointslices: deployments.flatMap((d) => (d.endpointslice ? [d.endpointslice] : [])),
    configmaps: [],
    secrets: [],
    serviceaccounts: [],
    persistentvolumeclaims: [],
    nodes,
    warningevents,
    ...networking(),
  });
}
