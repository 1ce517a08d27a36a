import { IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { IsK8sNamespace } from '../common/k8s-validators';
import { IsDateTime } from '../common/dto-field.decorator';

export const HISTORY_SCOPES = [
  'cluster',
  'namespace',
  'workload',
  'node',
  'nodePool',
  'hpa',
] as const;

/** Metric names of the samples (history-rows.ts); CPU in cores, memory in bytes. */
export const HISTORY_METRICS = [
  'nodesTotal',
  'nodesReady',
  'pods',
  'podsRunning',
  'podsPending',
  'podsFailed',
  'podsSucceeded',
  'requestsCpu',
  'requestsMemory',
  'limitsCpu',
  'limitsMemory',
  'allocatableCpu',
  'allocatableMemory',
  'usageCpu',
  'usageMemory',
  'allocatablePods',
  'ready',
  'restarts',
  'podsRestarted',
  'currentReplicas',
  'desiredReplicas',
  'minReplicas',
  'maxReplicas',
  'findingsCritical',
  'findingsWarning',
  'findingsInfo',
] as const;

export class HistoryQueryDto {
  /**
   * cluster (default); namespace (`namespace` required); workload (`namespace` and `name`);
   * node, nodePool or hpa (`name`; for hpa also `namespace`).
   */
  @IsOptional()
  @IsIn(HISTORY_SCOPES)
  scope?: (typeof HISTORY_SCOPES)[number];

  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /**
   * The object of the scope: `<Kind>/<name>` for workload (e.g. Deployment/api, Pod/x for a bare
   * pod), the node's name for node, the pool (its pool label's value) for nodePool, the
   * HorizontalPodAutoscaler's name for hpa.
   */
  @IsOptional()
  @MaxLength(253)
  @Matches(/^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/, {
    message: 'name must be a node, a node pool or <Kind>/<name>',
  })
  name?: string;

  /** Only this metric; every metric of the scope when omitted. */
  @IsOptional()
  @IsIn(HISTORY_METRICS)
  metric?: (typeof HISTORY_METRICS)[number];

  /** ISO-8601 start, inclusive; default 24 hours before `to`. */
  @IsDateTime({ optional: true })
  from?: string;

  /** ISO-8601 end, inclusive; default now. */
  @IsDateTime({ optional: true })
  to?: string;
}

export class HistoryClusterDto {
  id: string;
  name: string;
}

export class HistoryPointDto {
  /** When the leader took the sample. */
  at: string;
  /** Metric name → value (null: not measured, e.g. usage without metrics.k8s.io). */
  values: Record<string, number | null>;
}

export class HistoryResponseDto {
  cluster: HistoryClusterDto;
  scope: string;
  /** The namespace, or null for the cluster scope. */
  namespace: string | null;
  /** The workload (`<Kind>/<name>`), node, node pool or HPA of those scopes, else null. */
  name: string | null;
  from: string;
  to: string;
  /** True when the range held more points than one answer carries: the newest ones are returned. */
  truncated: boolean;
  /** Oldest first, one per monitor tick (a missing tick is a missing point, never a zero). */
  points: HistoryPointDto[];
}
