import { arrayOf, K8sObject } from './object-fields';
import { controllerOwner, OwnerRef } from './owner';
import { TemplateHygiene, templateHygiene } from './pod-hygiene';

/** Kueue suspends the Jobs it queues and names the queue in this label: suspended on purpose. */
const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

export interface JobRecord {
  name: string;
  namespace: string;
  created: string;
  owner?: OwnerRef;
  active: number;
  succeeded: number;
  failed: number;
  /** The Failed condition's reason and message (BackoffLimitExceeded, DeadlineExceeded) when it is True. */
  failure?: { reason: string; message: string; since?: string };
  complete: boolean;
  /** spec.suspend: no pod is started until it is resumed. */
  suspended?: true;
  /** The queue a queueing controller (Kueue) holds it in while suspended. */
  queue?: string;
  /** Its template's hygiene issues, when no CronJob owns it (the CronJob is judged). */
  hygiene?: TemplateHygiene;
}

export interface CronJobRecord {
  name: string;
  namespace: string;
  schedule: string;
  /** spec.timeZone; the schedule is in the controller's zone (UTC on managed clusters) without it. */
  timeZone?: string;
  suspend: boolean;
  created?: string;
  startingDeadlineSeconds?: number;
  /** concurrencyPolicy Forbid with a run still active: the controller skips schedules on purpose. */
  skipsWhileActive?: true;
  hygiene?: TemplateHygiene;
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export function slimJob(object: K8sObject): JobRecord {
  const status = object.status ?? {};
  const conditions: K8sObject[] = Array.isArray(status.conditions) ? status.conditions : [];
  const failed = conditions.find((c) => c?.type === 'Failed' && c.status === 'True');
  const record: JobRecord = {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    created: String(object.metadata?.creationTimestamp ?? ''),
    active: Number(status.active ?? 0) || 0,
    succeeded: Number(status.succeeded ?? 0) || 0,
    failed: Number(status.failed ?? 0) || 0,
    complete: conditions.some((c) => c?.type === 'Complete' && c.status === 'True'),
  };
  const owner = controllerOwner(object);
  if (owner) record.owner = owner;
  if (object.spec?.suspend === true) record.suspended = true;
  const queue = object.metadata?.labels?.[QUEUE_LABEL];
  if (queue) record.queue = String(queue);
  const hygiene = owner ? undefined : templateHygiene(object, false);
  if (hygiene) record.hygiene = hygiene;
  if (failed)
    record.failure = {
      reason: String(failed.reason ?? ''),
      message: String(failed.message ?? ''),
      ...(failed.lastTransitionTime ? { since: String(failed.lastTransitionTime) } : {}),
    };
  return record;
}

export function slimCronJob(object: K8sObject): CronJobRecord {
  const deadline = object.spec?.startingDeadlineSeconds;
  const hygiene = templateHygiene(object, false);
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    schedule: String(object.spec?.schedule ?? ''),
    ...(object.spec?.timeZone ? { timeZone: String(object.spec.timeZone) } : {}),
    suspend: object.spec?.suspend === true,
    ...(object.metadata?.creationTimestamp
      ? { created: String(object.metadata.creationTimestamp) }
      : {}),
    ...(typeof deadline === 'number' ? { startingDeadlineSeconds: deadline } : {}),
    ...(object.spec?.concurrencyPolicy === 'Forbid' && arrayOf(object.status?.active).length
      ? { skipsWhileActive: true as const }
      : {}),
    ...(hygiene ? { hygiene } : {}),
    ...(object.status?.lastScheduleTime
      ? { lastScheduleTime: String(object.status.lastScheduleTime) }
      : {}),
    ...(object.status?.lastSuccessfulTime
      ? { lastSuccessfulTime: String(object.status.lastSuccessfulTime) }
      : {}),
  };
}
