import type { ManagerEntry, TrackedState } from '../cluster-state/records/change-fields';
import type { ObjectRef } from '../cluster-state/finding';

/** One field of a change: its path in the tracked fields, and its value before and after. */
export interface FieldChange {
  path: string;
  /** null: the field did not exist before (added). Secret-looking values are hashes (`hash:…`). */
  old: string | null;
  /** null: the field no longer exists (removed). */
  new: string | null;
}

export const CHANGE_CATEGORIES = [
  'template',
  'replicas',
  'rollout',
  'data',
  'secret',
  'selector',
  'spec',
  'node',
  'autoscaling',
  'created',
  'deleted',
] as const;

export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number];

/** A change as the recorder builds it from one watch event, before it is stored. */
export interface ChangeDraft {
  object: ObjectRef;
  category: ChangeCategory;
  /** The field manager that made it (managedFields), or null when none can be told. */
  manager: string | null;
  summary: string;
  diff: FieldChange[];
  /** The object's resourceVersion after the change: with the object, it identifies the change. */
  resourceVersion: string;
}

/** The order in which a change's fields are told: the first one is the change's headline. */
const IMPORTANCE: readonly RegExp[] = [
  /\.image$/,
  /\.(command|args)$/,
  /^(data|binaryData)\[/,
  /^selector/,
  /^(min|max)Replicas$/,
  /^taints\[/,
  /^unschedulable$/,
  /\.env(From)?\[/,
  /^volumes\[/,
  /\.resources\./,
  /Probe$/,
  /^replicas$/,
  /^template\.annotations\[/,
];

const rank = (path: string): number => {
  const i = IMPORTANCE.findIndex((re) => re.test(path));
  return i < 0 ? IMPORTANCE.length : i;
};

/** The fields that differ between two tracked states, most telling first. */
export function diffFields(
  previous: Readonly<Record<string, string>>,
  next: Readonly<Record<string, string>>,
): FieldChange[] {
  const paths = new Set([...Object.keys(previous), ...Object.keys(next)]);
  const changes: FieldChange[] = [];
  for (const path of paths) {
    const old = previous[path] ?? null;
    const value = next[path] ?? null;
    if (old !== value) changes.push({ path, old, new: value });
  }
  return changes.sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
}

/** The part of the object (managedFields root) a change's first field lives in. */
function rootOf(path: string): string {
  if (path.startsWith('conditions[')) return 'status';
  if (/^(data|binaryData)\[/.test(path)) return 'data';
  if (path === 'resourceVersion') return 'metadata';
  return 'spec';
}

/**
 * Who made a change: the newest writer of the part that changed. Status writers (controllers
 * reporting) are only asked about status fields, so a controller's status update in the same
 * second never takes the credit for a person's spec edit.
 */
export function managerOf(managers: readonly ManagerEntry[], path: string): string | null {
  const root = rootOf(path);
  const writes = (m: ManagerEntry) => (root === 'status') === (m.subresource === 'status');
  const owner = managers.find((m) => writes(m) && (root === 'metadata' || m.roots.includes(root)));
  return owner?.manager ?? managers.find(writes)?.manager ?? null;
}

const isHash = (v: string | null) => v?.startsWith('hash:') === true;

/** `repo:1.4.2 → repo:1.5.0` is told as the tags when the repository stays the same. */
function imageValues(old: string, value: string): [string, string] {
  const repo = (image: string) => image.replace(/[:@][^/]*$/, '');
  if (repo(old) !== repo(value)) return [old, value];
  const tag = (image: string) => image.slice(repo(image).length + 1) || 'latest';
  return [tag(old), tag(value)];
}

/** A field path as people say it: `containers[app].image` → `image of container app`. */
function fieldName(path: string): string {
  const container = /^(containers|initContainers)\[([^\]]+)\]\.(.+)$/.exec(path);
  if (container) return `${container[3]} of container ${container[2]}`;
  const keyed = /^(data|binaryData)\[(.+)\]$/.exec(path);
  if (keyed) return `key ${keyed[2]}`;
  return path;
}

/** One field's change as a clause: "image of container app changed from 1.4.2 to 1.5.0". */
export function describeField(change: FieldChange): string {
  const name = fieldName(change.path);
  if (change.old === null)
    return isHash(change.new) ? `${name} added` : `${name} set to ${change.new}`;
  if (change.new === null) return `${name} removed`;
  if (isHash(change.old) || isHash(change.new)) return `${name} changed`;
  const [old, value] = change.path.endsWith('.image')
    ? imageValues(change.old, change.new)
    : [change.old, change.new];
  return `${name} changed from ${old} to ${value}`;
}

/** The headline of a change: its most telling field, and how many more changed with it. */
export function summarize(diff: FieldChange[]): string {
  if (!diff.length) return 'changed';
  const more = diff.length - 1;
  return more ? `${describeField(diff[0])} (and ${more} more)` : describeField(diff[0]);
}

export interface KindInfo {
  kind: string;
  group: string;
  /** The category of an update, from its changed fields. */
  category(diff: FieldChange[]): ChangeCategory;
}

/** A kind whose updates always fall in one category. */
const fixed = (kind: string, group: string, category: ChangeCategory): KindInfo => ({
  kind,
  group,
  category: () => category,
});

const workload = (kind: string): KindInfo => ({
  kind,
  group: 'apps',
  category: (diff) => (diff.every((d) => d.path === 'replicas') ? 'replicas' : 'template'),
});

/** The snapshot kinds the timeline follows (cached-kinds.ts tracks exactly these), as Kubernetes names them. */
export const TRACKED_KINDS: Readonly<Record<string, KindInfo>> = {
  deployments: workload('Deployment'),
  statefulsets: workload('StatefulSet'),
  daemonsets: workload('DaemonSet'),
  configmaps: fixed('ConfigMap', '', 'data'),
  secrets: fixed('Secret', '', 'secret'),
  services: {
    kind: 'Service',
    group: '',
    category: (diff) => (diff.some((d) => d.path.startsWith('selector')) ? 'selector' : 'spec'),
  },
  nodes: fixed('Node', '', 'node'),
  ingresses: fixed('Ingress', 'networking.k8s.io', 'spec'),
  networkpolicies: fixed('NetworkPolicy', 'networking.k8s.io', 'spec'),
  horizontalpodautoscalers: fixed('HorizontalPodAutoscaler', 'autoscaling', 'autoscaling'),
  poddisruptionbudgets: fixed('PodDisruptionBudget', 'policy', 'spec'),
  istioGateways: fixed('Gateway', 'networking.istio.io', 'spec'),
  virtualServices: fixed('VirtualService', 'networking.istio.io', 'spec'),
  destinationRules: fixed('DestinationRule', 'networking.istio.io', 'spec'),
};

/** An update of a tracked object as a change, or undefined when no tracked field moved. */
export function updateChange(
  info: KindInfo,
  object: { namespace: string; name: string },
  previous: TrackedState,
  next: TrackedState,
): ChangeDraft | undefined {
  const diff = diffFields(previous.fields, next.fields);
  if (!diff.length) return undefined;
  return {
    object: { group: info.group, kind: info.kind, ...object },
    category: info.category(diff),
    manager: managerOf(next.managers, diff[0].path),
    summary: summarize(diff),
    diff,
    resourceVersion: next.resourceVersion,
  };
}

/** A tracked object created or deleted after the first sync. */
export function lifecycleChange(
  info: KindInfo,
  object: { namespace: string; name: string },
  state: TrackedState,
  type: 'created' | 'deleted',
): ChangeDraft {
  const newest = state.managers.find((m) => m.subresource !== 'status');
  return {
    object: { group: info.group, kind: info.kind, ...object },
    category: type,
    manager: type === 'created' ? (newest?.manager ?? null) : null,
    summary: type,
    diff: [],
    resourceVersion: state.resourceVersion,
  };
}

/**
 * A ReplicaSet that appears, or whose revision moves (a rollback reuses an old one), is one
 * rollout of its Deployment: one change per revision, never one per pod.
 */
export function rolloutChange(
  replicaSet: { namespace: string; name: string; owner?: { kind: string; name: string } },
  previous: TrackedState | undefined,
  next: TrackedState,
): ChangeDraft | undefined {
  const revision = next.fields['revision'];
  const before = previous?.fields['revision'] ?? null;
  if (!revision || revision === before || replicaSet.owner?.kind !== 'Deployment') return;
  return {
    object: {
      group: 'apps',
      kind: 'Deployment',
      namespace: replicaSet.namespace,
      name: replicaSet.owner.name,
    },
    category: 'rollout',
    manager: next.managers.find((m) => m.subresource !== 'status')?.manager ?? null,
    summary: `rolled out revision ${revision} (ReplicaSet ${replicaSet.name})`,
    diff: [{ path: 'revision', old: before, new: revision }],
    resourceVersion: next.resourceVersion,
  };
}
