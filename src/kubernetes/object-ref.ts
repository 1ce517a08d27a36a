import type { K8sObject } from './k8s-object';
import type { KindRef } from './kind-lookup';

/** Which object (or, without a name, which collection): a kind as callers name it, and where. */
export interface ObjectRef {
  kind: KindRef;
  /** Ignored for cluster-scoped kinds; required for one object of a namespaced kind. */
  namespace?: string;
  name?: string;
}

/** The one options object of every call; each call reads the options that mean something for it. */
export interface ObjectOptions {
  /** Server-side dry run: validated and admitted, never stored. */
  dryRun?: boolean;
  /** Makes a write conditional (optimistic concurrency); a delete's precondition. */
  resourceVersion?: string;
  /** The field manager of writes; `cloudpilot` when absent. */
  fieldManager?: string;
  /** Server-side apply takes over fields another manager owns. */
  force?: boolean;
  /** Overrides the cluster's default deadline for this call. */
  timeoutMs?: number;
  /** Caller cancellation (e.g. the HTTP client went away). */
  signal?: AbortSignal;
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListPage<T = K8sObject> {
  items: T[];
  continue: string | null;
  remainingItemCount: number | null;
  /** The collection's version at this read: where a watch of what follows starts. */
  resourceVersion: string | null;
}

/** Query parameters of a pod's log (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod). */
export type LogQuery = Record<string, string | number | undefined>;
