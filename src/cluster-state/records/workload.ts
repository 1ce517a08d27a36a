import { arrayOf, K8sObject } from './object-fields';
import { ConditionRecord, controllerOwner, keptConditions, OwnerRef } from './owner';
import { TemplateHygiene, templateHygiene } from './pod-hygiene';

/**
 * Deployments, StatefulSets, DaemonSets and ReplicaSets: the replica counts of their status and the
 * conditions that are not in their happy state. Names and namespaces also feed the overview's counts.
 */
export interface WorkloadRecord {
  name: string;
  namespace: string;
  created?: string;
  owner?: OwnerRef;
  /** spec.replicas (DaemonSets: status.desiredNumberScheduled). */
  desired: number;
  ready: number;
  available: number;
  updated: number;
  paused?: true;
  /** The controller has not yet seen the latest spec: counts describe the previous one. */
  stale?: true;
  /** DaemonSets only: pods running where they should not. */
  misscheduled?: number;
  /** Conditions in their unhappy state (Available=False, Progressing=False, ReplicaFailure=True). */
  conditions?: ConditionRecord[];
  /** StatefulSets only: spec.serviceName, the governing Service ('' or absent: none). */
  serviceName?: string;
  /** StatefulSets only: spec.volumeClaimTemplates; no storageClassName means the default class. */
  claimTemplates?: { name: string; storageClassName?: string }[];
  /** Its pod template's hygiene issues, when nothing owns it (a Deployment's ReplicaSets are not judged). */
  hygiene?: TemplateHygiene;
}

const num = (v: unknown): number => Number(v ?? 0) || 0;

const UNHAPPY_TRUE = new Set(['ReplicaFailure']);

/** Deployments, StatefulSets and ReplicaSets. */
export const slimWorkload = (object: K8sObject): WorkloadRecord => slim(object, false);

/** StatefulSets: also the references their pods and claims are made from. */
export function slimStatefulSet(object: K8sObject): WorkloadRecord {
  const record = slim(object, false);
  const spec = object.spec ?? {};
  if (spec.serviceName) record.serviceName = String(spec.serviceName);
  const templates = arrayOf(spec.volumeClaimTemplates).map((t) => ({
    name: String(t.metadata?.name ?? ''),
    ...(typeof t.spec?.storageClassName === 'string'
      ? { storageClassName: t.spec.storageClassName }
      : {}),
  }));
  if (templates.length) record.claimTemplates = templates;
  return record;
}

/** DaemonSets count scheduled nodes, not replicas (LIST items carry no `kind` to tell them apart). */
export const slimDaemonSet = (object: K8sObject): WorkloadRecord => slim(object, true);

function slim(object: K8sObject, daemon: boolean): WorkloadRecord {
  const status = object.status ?? {};
  const record: WorkloadRecord = {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    desired: daemon ? num(status.desiredNumberScheduled) : num(object.spec?.replicas ?? 1),
    ready: daemon ? num(status.numberReady) : num(status.readyReplicas),
    available: daemon ? num(status.numberAvailable) : num(status.availableReplicas),
    updated: daemon ? num(status.updatedNumberScheduled) : num(status.updatedReplicas),
  };
  if (object.metadata?.creationTimestamp)
    record.created = String(object.metadata.creationTimestamp);
  const owner = controllerOwner(object);
  if (owner) record.owner = owner;
  const hygiene = owner ? undefined : templateHygiene(object, true);
  if (hygiene) record.hygiene = hygiene;
  if (object.spec?.paused === true) record.paused = true;
  const generation = object.metadata?.generation;
  if (generation !== undefined && num(status.observedGeneration) < num(generation))
    record.stale = true;
  if (daemon && num(status.numberMisscheduled) > 0)
    record.misscheduled = num(status.numberMisscheduled);
  const conditions = keptConditions(object, (c) =>
    UNHAPPY_TRUE.has(c?.type) ? c.status === 'True' : c?.status === 'False',
  );
  if (conditions) record.conditions = conditions;
  return record;
}
