import { parseQuantityNanos } from '../quantity';

import type { K8sObject } from '../../kubernetes/k8s-object';

export type { K8sObject };

/** A malformed quantity (the API server rejects them, so only a hostile server sends one) counts as zero. */
export function nanosOrZero(text: unknown): bigint {
  try {
    return typeof text === 'string' ? parseQuantityNanos(text) : 0n;
  } catch {
    return 0n;
  }
}

export function conditionTrue(object: K8sObject, type: string): boolean {
  const conditions: K8sObject[] = Array.isArray(object.status?.conditions)
    ? object.status.conditions
    : [];
  return conditions.some((c) => c?.type === type && c?.status === 'True');
}

/** An array field, or an empty one when the field is absent or malformed. */
export function arrayOf(value: unknown): K8sObject[] {
  return Array.isArray(value) ? value : [];
}
