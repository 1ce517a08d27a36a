import { InternPool } from './intern';
import { arrayOf, K8sObject } from './object-fields';

/** The controlling owner of an object (Pod → ReplicaSet → Deployment, Job → CronJob). */
export interface OwnerRef {
  kind: string;
  name: string;
}

/** Kind names shared by every record instead of one string copy per object (JSON.parse copies). */
const KNOWN_KINDS = new Map(
  ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Node'].map((k) => [
    k,
    k,
  ]),
);

/**
 * The controller owner only: it is the one that recreates the object, so it is the one a person
 * acts on. Other owner references (garbage-collection links) do not name a workload.
 */
export function controllerOwner(object: K8sObject): OwnerRef | undefined {
  const refs = arrayOf(object.metadata?.ownerReferences);
  const owner =
    refs.find((r) => r?.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
  if (!owner) return undefined;
  const kind = String(owner.kind ?? '');
  const name = String(owner.name ?? '');
  // Every pod of a ReplicaSet names the same owner: one frozen object for all of them.
  return owners.get(`${kind}/${name}`, () =>
    Object.freeze({ kind: KNOWN_KINDS.get(kind) ?? kind, name }),
  );
}

const owners = new InternPool<OwnerRef>(50_000);

/** A condition that is not in its happy state, as slim records keep it. */
export interface ConditionRecord {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  since?: string;
}

export function slimCondition(c: K8sObject): ConditionRecord {
  return {
    type: String(c.type ?? ''),
    status: String(c.status ?? ''),
    ...(c.reason ? { reason: String(c.reason) } : {}),
    ...(c.message ? { message: String(c.message) } : {}),
    ...(c.lastTransitionTime ? { since: String(c.lastTransitionTime) } : {}),
  };
}

/** Conditions kept by a predicate; undefined (no field at all) when none is kept, to stay slim. */
export function keptConditions(
  object: K8sObject,
  keep: (c: K8sObject) => boolean,
): ConditionRecord[] | undefined {
  const kept = arrayOf(object.status?.conditions).filter(keep).map(slimCondition);
  return kept.length ? kept : undefined;
}

/** A label selector as the API writes it (matchLabels and matchExpressions). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
