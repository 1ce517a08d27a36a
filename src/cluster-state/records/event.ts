import { K8sObject } from './object-fields';

/** A Warning event, kept to be shown as evidence next to the finding about its object. */
export interface WarningEventRecord {
  name: string;
  namespace: string;
  object: { kind: string; name: string; namespace: string };
  reason: string;
  message: string;
  count: number;
  /** When it last happened (ISO time). */
  last: string;
}

export function slimWarningEvent(object: K8sObject): WarningEventRecord {
  const involved = object.involvedObject ?? object.regarding ?? {};
  const series = object.series ?? {};
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    object: {
      kind: String(involved.kind ?? ''),
      name: String(involved.name ?? ''),
      namespace: String(involved.namespace ?? object.metadata?.namespace ?? ''),
    },
    reason: String(object.reason ?? ''),
    message: String(object.message ?? object.note ?? '').slice(0, 500),
    count: Number(series.count ?? object.count ?? 1) || 1,
    last: String(
      series.lastObservedTime ??
        object.lastTimestamp ??
        object.eventTime ??
        object.metadata?.creationTimestamp ??
        '',
    ),
  };
}
