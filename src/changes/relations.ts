import { trackedOf } from '../cluster-state/records/change-fields';
import type { ObjectRef } from '../cluster-state/finding';
import type { PodRecord } from '../cluster-state/records/pod';
import { mapMatches } from '../diagnostics/selectors';
import type { ClusterSnapshot } from '../monitor/cluster-snapshot';

/** An object whose changes may explain a finding, and how far it is from the finding's object. */
export interface RelatedObject {
  kind: string;
  namespace: string;
  name: string;
  /** 0: the object itself; 1: its owner, references, node, autoscaler; 2: further; 3: any node. */
  distance: number;
  /** How it relates, said in words: "which its pods reference". */
  relation: string;
}

type Reader = Pick<ClusterSnapshot, 'list' | 'get'>;

const WORKLOADS: Record<string, 'deployments' | 'statefulsets' | 'daemonsets'> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

export const relatedKey = (kind: string, namespace: string, name: string): string =>
  `${kind}/${namespace}/${name}`;

/** Collects related objects, each once at its nearest distance. */
class Relations {
  readonly found = new Map<string, RelatedObject>();

  add(kind: string, namespace: string, name: string, distance: number, relation: string): void {
    const key = relatedKey(kind, namespace, name);
    const known = this.found.get(key);
    if (!known || known.distance > distance)
      this.found.set(key, { kind, namespace, name, distance, relation });
  }
}

/** One way objects relate to a finding's object (whose pods are found first): adds them to `out`. */
type RelationFinder = (
  snapshot: Reader,
  object: ObjectRef,
  pods: PodRecord[],
  out: Relations,
) => void;

/** The pods a finding's object stands for: itself, or a workload's (through its ReplicaSets). */
function podsOf(snapshot: Reader, object: ObjectRef): PodRecord[] {
  if (object.kind === 'Pod') {
    const pod = snapshot.get('pods', object.name, object.namespace);
    return pod ? [pod] : [];
  }
  if (!WORKLOADS[object.kind] && object.kind !== 'ReplicaSet') return [];
  const owners = new Set([`${object.kind}/${object.name}`]);
  if (object.kind === 'Deployment')
    for (const rs of snapshot.list('replicasets', object.namespace))
      if (rs.owner?.kind === 'Deployment' && rs.owner.name === object.name)
        owners.add(`ReplicaSet/${rs.name}`);
  return snapshot
    .list('pods', object.namespace)
    .filter((p) => p.owner && owners.has(`${p.owner.kind}/${p.owner.name}`));
}

/** The owner chain upward: a Pod's ReplicaSet (1) and Deployment (2), a ReplicaSet's Deployment. */
const addOwners: RelationFinder = (snapshot, object, pods, out) => {
  const owner = object.kind === 'Pod' ? pods[0]?.owner : undefined;
  let rsName = object.kind === 'ReplicaSet' ? object.name : undefined;
  let distance = 1;
  if (owner) {
    out.add(owner.kind, object.namespace, owner.name, 1, 'which owns it');
    if (owner.kind === 'ReplicaSet') rsName = owner.name;
    distance = 2;
  }
  const deployment = rsName && snapshot.get('replicasets', rsName, object.namespace)?.owner;
  if (deployment)
    out.add(deployment.kind, object.namespace, deployment.name, distance, 'which owns it');
};

/** What the pods and their template reference: ConfigMaps, Secrets, PVCs, ServiceAccounts. */
const addReferences: RelationFinder = (snapshot, object, pods, out) => {
  const ns = object.namespace;
  const relation = 'which its pods reference';
  for (const pod of pods) {
    for (const name of pod.refs?.configMaps ?? []) out.add('ConfigMap', ns, name, 1, relation);
    for (const name of pod.refs?.secrets ?? []) out.add('Secret', ns, name, 1, relation);
    for (const name of pod.refs?.pvcs ?? [])
      out.add('PersistentVolumeClaim', ns, name, 1, relation);
    out.add('ServiceAccount', ns, pod.serviceAccount ?? 'default', 1, relation);
  }
  for (const value of Object.values(templateFields(snapshot, object))) {
    const ref =
      /^(configMap|configMapKeyRef|secret|secretKeyRef|persistentVolumeClaim) ([^/ ]+)/.exec(value);
    if (!ref) continue;
    const kind = ref[1].startsWith('configMap')
      ? 'ConfigMap'
      : ref[1].startsWith('secret')
        ? 'Secret'
        : 'PersistentVolumeClaim';
    out.add(kind, ns, ref[2], 1, 'which its pod template references');
  }
};

/** The tracked template of a workload finding's object (its references, its nodeSelector). */
function templateFields(snapshot: Reader, object: ObjectRef): Readonly<Record<string, string>> {
  const kind = WORKLOADS[object.kind];
  const record = kind && snapshot.get(kind, object.name, object.namespace);
  return trackedOf(record)?.fields ?? {};
}

/** The nodes of the pods; for a pod not placed yet, the nodes it may go to. */
const addNodes: RelationFinder = (snapshot, object, pods, out) => {
  for (const pod of pods)
    if (pod.nodeName) out.add('Node', '', pod.nodeName, 1, 'which runs its pods');
  const unplaced = object.kind === 'Node' ? false : pods.some((p) => !p.nodeName);
  if (!unplaced) return;
  const selector = Object.fromEntries(
    Object.entries(templateFields(snapshot, object))
      .filter(([path]) => path.startsWith('nodeSelector.'))
      .map(([path, value]) => [path.slice('nodeSelector.'.length), value]),
  );
  const selective = Object.keys(selector).length > 0;
  for (const node of snapshot.list('nodes'))
    if (mapMatches(selector, node.labels))
      out.add('Node', '', node.name, selective ? 2 : 3, 'where its pending pods may be placed');
};

/** Services selecting the pods; a Service finding's own pods; an HPA's target and back. */
const addNeighbours: RelationFinder = (snapshot, object, pods, out) => {
  const ns = object.namespace;
  for (const service of snapshot.list('services', ns)) {
    const selector = service.spec?.selector as Record<string, string> | undefined;
    if (
      selector &&
      Object.keys(selector).length &&
      pods.some((p) => mapMatches(selector, p.labels))
    )
      out.add('Service', ns, service.metadata.name, 2, 'which selects its pods');
  }
  for (const hpa of snapshot.list('horizontalpodautoscalers', ns)) {
    if (object.kind === 'HorizontalPodAutoscaler' && hpa.name === object.name)
      out.add(hpa.target.kind, ns, hpa.target.name, 1, 'which it scales');
    if (hpa.target.kind === object.kind && hpa.target.name === object.name)
      out.add('HorizontalPodAutoscaler', ns, hpa.name, 1, 'which scales it');
  }
  if (object.kind === 'Ingress')
    for (const backend of snapshot.get('ingresses', object.name, ns)?.backends ?? [])
      out.add('Service', ns, backend.service, 1, 'which it routes to');
};

const FINDERS = [addOwners, addReferences, addNodes, addNeighbours];

/**
 * The objects whose changes may explain a finding on `object`, read from the live snapshot: the
 * object, its owner chain, what its pods reference, their nodes, the Services that select them and
 * its autoscaler. Callers and callees in the service graph come from a ServiceNeighbours provider.
 */
export function relatedObjects(snapshot: Reader, object: ObjectRef): RelatedObject[] {
  const out = new Relations();
  out.add(object.kind, object.namespace, object.name, 0, 'this');
  const pods = podsOf(snapshot, object);
  for (const find of FINDERS) find(snapshot, object, pods, out);
  return [...out.found.values()];
}
