import { IsIntegerIn } from '../common/integer.decorator';
import { IsIn, IsOptional } from 'class-validator';
import { FINDING_CODE_RULE } from '../common/input-vocabulary';
import { FollowsRule, IsK8sKindName, IsK8sNamespace } from '../common/k8s-validators';
import type { Finding, Severity } from '../cluster-state/finding';
import { SEVERITIES } from '../cluster-state/finding';
import { IsQueryFlag } from '../common/query-flag.decorator';

/** Filters and paging of a cluster's findings. */
export class FindingQueryDto {
  /** Only findings about objects of this namespace. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  /** A finding code, e.g. POD_CRASH_LOOP (docs/diagnostics.md lists them). */
  @FollowsRule(FINDING_CODE_RULE, { optional: true })
  code?: string;

  /** The kind of the object the finding names, e.g. Deployment. */
  @IsK8sKindName({ optional: true })
  kind?: string;

  /** Also silenced findings (each carries its `silenced` marker); default false. */
  @IsQueryFlag()
  silenced?: boolean;

  /** Page size, 1–500. */
  @IsIntegerIn(1, 500, { optional: true, query: true, default: 100 })
  limit: number = 100;

  @IsIntegerIn(0, undefined, { optional: true, query: true, default: 0 })
  offset: number = 0;
}

/** Options of the findings stream. */
export class FindingStreamQueryDto {
  /** Also changes of silenced findings, and marker changes as `updated`; default false. */
  @IsQueryFlag()
  silenced?: boolean;
}

/** Why a finding is silenced (docs/diagnostics.md#silences). */
export class SilenceMarkerDto {
  /** `silence` (a stored silence) or `annotation` (cloudpilot.dev/ignore on the object or an owner). */
  by: 'silence' | 'annotation';
  silenceId?: string;
  comment?: string;
  author?: string;
  expiresAt?: string;
  /** The annotation's name, with `annotation`. */
  annotation?: string;
  /** The object carrying the annotation, e.g. `Deployment shop/web`. */
  object?: string;
}

export class ObjectRefDto {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export class EvidenceEventDto {
  object: string;
  reason: string;
  message: string;
  count: number;
  last: string;
}

export class EvidenceDto {
  /** The API fields that prove the finding, by path. */
  fields: Record<string, unknown>;
  /** Up to five affected objects (e.g. the crashing pods of a Deployment). */
  objects?: string[];
  /** Recent Warning events of the object, its owners and its pods. */
  events: EvidenceEventDto[];
}

export class FindingDto implements Finding {
  /** Stable while the problem lasts (derived from cluster, code and object). */
  id: string;
  clusterId: string;
  /** Stable UPPER_SNAKE code, e.g. POD_CRASH_LOOP or an Istio check's code. */
  code: string;
  severity: Severity;
  source: 'kubernetes' | 'istio' | 'forecast' | 'telemetry';
  /** The object a person acts on: the workload for its pods' problems. */
  object: ObjectRefDto;
  message: string;
  evidence: EvidenceDto;
  suggestion: string;
  /** Affected objects this finding stands for (pods of one workload). */
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Present when the finding is silenced: it costs no points and is listed only on request. */
  silenced?: SilenceMarkerDto;
}

export class SeverityCountsDto {
  critical: number;
  warning: number;
  info: number;
}

export class FindingPageDto {
  items: FindingDto[];
  total: number;
  limit: number;
  offset: number;
  /** When the findings were last computed (ISO time). */
  evaluatedAt: string;
}

export class DeductionDto {
  findingId: string;
  code: string;
  severity: Severity;
  object: ObjectRefDto;
  points: number;
}

export class HealthScoreDto {
  /** 0–100: 100 minus the deductions (docs/diagnostics.md#health-score). */
  score: number;
  counts: SeverityCountsDto;
  deductions: DeductionDto[];
}

export class NamespaceHealthDto extends HealthScoreDto {
  namespace: string;
}

export class ClusterHealthDto {
  cluster: HealthScoreDto;
  /** Every namespace, lowest score first. */
  namespaces: NamespaceHealthDto[];
  /** Current findings that are silenced: computed, but costing nothing and not in `counts`. */
  silenced: number;
  evaluatedAt: string;
}

export class FleetDiagnosticsClusterDto {
  id: string;
  name: string;
}

export class FleetDiagnosticsDataDto {
  score: number;
  counts: SeverityCountsDto;
  evaluatedAt: string;
}

export class FleetDiagnosticsErrorDto {
  code: string;
  message: string;
}

/** One cluster of the fleet: its score and counts, or its error. */
export class FleetDiagnosticsEntryDto {
  cluster: FleetDiagnosticsClusterDto;
  data?: FleetDiagnosticsDataDto;
  error?: FleetDiagnosticsErrorDto;
}

export class FleetDiagnosticsDto {
  items: FleetDiagnosticsEntryDto[];
  deadlineSeconds: number;
}
