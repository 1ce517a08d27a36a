import { AppError } from '../common/app-error';
import type { ObjectRef } from './object-ref';

/**
 * The API server's answers about an object (K8S_* codes) carry the cluster; this adds the
 * namespace the call was about, so an error names where it happened.
 */
export function inNamespace(namespace: string | undefined): (error: unknown) => never {
  return (error) => {
    const details = error instanceof AppError ? error.details : undefined;
    if (
      namespace === undefined ||
      !(error instanceof AppError) ||
      !error.code.startsWith('K8S_') ||
      typeof details !== 'object' ||
      details === null ||
      Array.isArray(details) ||
      'namespace' in details
    )
      throw error;
    throw new AppError(error.code, error.message, { ...details, namespace }, error.headers);
  };
}

/** The API server answers 429 to an eviction a disruption budget forbids right now. */
export function budgetViolation(error: unknown, ref: ObjectRef): AppError | undefined {
  if (!(error instanceof AppError) || error.code !== 'K8S_THROTTLED') return undefined;
  return new AppError(
    'K8S_DISRUPTION_BUDGET_VIOLATION',
    `Evicting pod ${ref.name} would violate its PodDisruptionBudget`,
    { name: ref.name, namespace: ref.namespace },
  );
}
