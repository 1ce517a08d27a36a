import { K8sObject } from './object-fields';
import { controllerOwner, OwnerRef } from './owner';

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
}

export interface CronJobRecord {
  name: string;
  namespace: string;
  schedule: string;
  suspend: boolean;
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
  if (failed)
    record.failure = {
      reason: String(failed.reason ?? ''),
      message: String(failed.message ?? ''),
      ...(failed.lastTransitionTime ? { since: String(failed.lastTransitionTime) } : {}),
    };
  return record;
}

export function slimCronJob(object: K8sObject): CronJobRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    schedule: String(object.spec?.schedule ?? ''),
    suspend: object.spec?.suspend === true,
    ...(object.status?.lastScheduleTime
      ? { lastScheduleTime: String(object.status.lastScheduleTime) }
      : {}),
    ...(object.status?.lastSuccessfulTime
      ? { lastSuccessfulTime: String(object.status.lastSuccessfulTime) }
      : {}),
  };
}
