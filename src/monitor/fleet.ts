import { AppError } from '../common/app-error';

/** A cluster as fleet answers name it. */
export interface ClusterRef {
  id: string;
  name: string;
}

/** Why one cluster of a fleet answer has no data. */
export interface FleetError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** One cluster of a fleet answer: its data, or its error as data. */
export type FleetEntry<T> =
  { cluster: ClusterRef; data: T } | { cluster: ClusterRef; error: FleetError };

export interface FanOutOptions {
  /** The message of an error that is not an AppError (its detail goes nowhere: it may embed anything). */
  failure: string;
  /** Keep an AppError's details in the entry (when the answer's document has them). */
  details?: boolean;
}

/**
 * Runs `each` for every cluster at once and returns one entry per cluster, in order: one failing
 * or slow cluster never fails nor delays the others beyond its own deadline (each cluster's work
 * waits for its first sync at most the fleet deadline: ClusterSnapshots.settled).
 */
export function fanOut<T>(
  clusters: readonly ClusterRef[],
  each: (cluster: ClusterRef) => Promise<T>,
  options: FanOutOptions,
): Promise<FleetEntry<T>[]> {
  return Promise.all(
    clusters.map(async (cluster): Promise<FleetEntry<T>> => {
      try {
        return { cluster, data: await each(cluster) };
      } catch (error) {
        return { cluster, error: fleetError(error, options) };
      }
    }),
  );
}

function fleetError(error: unknown, options: FanOutOptions): FleetError {
  if (!(error instanceof AppError)) return { code: 'INTERNAL_ERROR', message: options.failure };
  const details = options.details
    ? (error.details as Record<string, unknown> | undefined)
    : undefined;
  return { code: error.code, message: error.message, ...(details ? { details } : {}) };
}

/** A cluster still on its first sync when the request's wait for it ended. */
export function firstSyncTimeout(cluster: ClusterRef, deadlineMs: number): AppError {
  return new AppError(
    'CLUSTER_TIMEOUT',
    `Cluster ${cluster.name} has not finished its first sync within ${deadlineMs / 1000} s`,
    { cluster: cluster.id },
  );
}
