import { IsQueryFlag } from '../common/query-flag.decorator';
import { IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DNS_SUBDOMAIN_RULE } from '../common/input-vocabulary';
import {
  FollowsRule,
  IsContinueToken,
  IsK8sNamespace,
  IsLabelSelector,
  IsPageLimit,
} from '../common/k8s-validators';
import { DestinationRuleSpecDto, GatewaySpecDto, VirtualServiceSpecDto } from './istio-spec.dto';
import { IsStringMap } from './string-map.validator';
import { IsNested, IsOneOf } from '../common/dto-field.decorator';
import { ISTIO_KINDS } from './mesh-kinds';

export class MeshListQueryDto {
  /** Only this namespace; all namespaces when absent. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** Label selector, as kubectl -l. */
  @IsLabelSelector()
  labelSelector?: string;

  /** Page size, 1–500 (default 100). */
  @IsPageLimit()
  limit?: number;

  /** The `continue` token of the previous page. */
  @IsContinueToken()
  continue?: string;
}

export class MeshObjectQueryDto {
  @IsK8sNamespace()
  namespace: string;

  /** false: skip the inline validations (they read the whole mesh). */
  @IsQueryFlag()
  validate?: boolean;
}

export class IstioCreateQueryDto {
  /** Namespace of the new object; metadata.namespace may give it instead. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** true: the API server validates and answers as if it were done (dryRun=All), and stores nothing. */
  @IsQueryFlag()
  dryRun?: boolean;
}

export class IstioWriteQueryDto {
  @IsK8sNamespace()
  namespace: string;

  /** true: the API server validates and answers as if it were done (dryRun=All), and stores nothing. */
  @IsQueryFlag()
  dryRun?: boolean;
}

export class IstioDeleteQueryDto extends IstioWriteQueryDto {
  /** Delete only if the object is still at this version (else 409 K8S_CONFLICT). */
  @IsOptional()
  @MaxLength(64)
  @Matches(/^[0-9]+$/)
  resourceVersion?: string;
}

export class ValidationsQueryDto {
  /** Report only objects of this namespace (the checks still see the whole mesh). */
  @IsK8sNamespace({ optional: true })
  namespace?: string;
}

export class ObjectMetaDto {
  @FollowsRule(DNS_SUBDOMAIN_RULE, { optional: true })
  name?: string;

  @IsK8sNamespace({ optional: true })
  namespace?: string;

  @IsStringMap({ optional: true })
  labels?: Record<string, string>;

  @IsStringMap({ optional: true })
  annotations?: Record<string, string>;

  /** Optimistic concurrency: a write at another version is refused with 409 K8S_CONFLICT. */
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]+$/, {
    message: 'resourceVersion must be the decimal string the API server returned',
  })
  resourceVersion?: string;
}

/** The apiVersions a body of `kind` may state: its group with each version CloudPilot knows. */
function apiVersionsOf(kind: string): string[] {
  const { group, versions } = ISTIO_KINDS.find((k) => k.descriptor.kind === kind)!.descriptor;
  return versions.map((version) => `${group}/${version}`);
}

/** What every Istio body has; exported so the Swagger plugin metadata can describe the inherited fields. */
export abstract class IstioBodyDto {
  @IsObject()
  @IsNested(() => ObjectMetaDto)
  metadata: ObjectMetaDto;
}

// apiVersion is the one the client wrote; CloudPilot sends the version the cluster serves (see the
// response's apiVersion). kind may be left out: the route names it, and a body never contradicts it.

export class GatewayBodyDto extends IstioBodyDto {
  @IsOneOf(apiVersionsOf('Gateway'), { optional: true })
  apiVersion?: string;

  @IsOneOf(['Gateway'], { optional: true })
  kind?: 'Gateway';

  @IsObject()
  @IsNested(() => GatewaySpecDto)
  spec: GatewaySpecDto;
}

export class VirtualServiceBodyDto extends IstioBodyDto {
  @IsOneOf(apiVersionsOf('VirtualService'), { optional: true })
  apiVersion?: string;

  @IsOneOf(['VirtualService'], { optional: true })
  kind?: 'VirtualService';

  @IsObject()
  @IsNested(() => VirtualServiceSpecDto)
  spec: VirtualServiceSpecDto;
}

export class DestinationRuleBodyDto extends IstioBodyDto {
  @IsOneOf(apiVersionsOf('DestinationRule'), { optional: true })
  apiVersion?: string;

  @IsOneOf(['DestinationRule'], { optional: true })
  kind?: 'DestinationRule';

  @IsObject()
  @IsNested(() => DestinationRuleSpecDto)
  spec: DestinationRuleSpecDto;
}

/** The body DTO of each Istio kind CloudPilot writes, by kind. */
export const ISTIO_BODIES = {
  Gateway: GatewayBodyDto,
  VirtualService: VirtualServiceBodyDto,
  DestinationRule: DestinationRuleBodyDto,
};

// Mesh…: the diagnostics module has a FindingDto and an ObjectRefDto of another shape, and the
// document keys schemas by class name (with one name, one of the two shapes was documented for both).
export class MeshObjectRefDto {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export class MeshFindingDto {
  /** CloudPilot's stable code, e.g. ISTIO_GW_SELECTOR_NO_PODS (docs/istio-validations.md). */
  code: string;
  severity: 'error' | 'warning' | 'info';
  object: MeshObjectRefDto;
  /** JSON path of the offending field, e.g. spec.servers[0].tls.credentialName. */
  path: string;
  message: string;
  suggestedFix: string;
  kialiCode: string | null;
  istioctlCode: string | null;
}

export class SkippedCheckDto {
  code: string;
  /** Which input was missing and why, e.g. "secrets: forbidden for this cluster's credential". */
  reason: string;
}

export class ValidationCountsDto {
  error: number;
  warning: number;
  info: number;
}

export class ValidationReportDto {
  namespace: string | null;
  counts: ValidationCountsDto;
  findings: MeshFindingDto[];
  /** Checks that did not run because an input could not be read; they reported nothing. */
  skipped: SkippedCheckDto[];
}

export class MeshObjectListDto {
  /** The version the cluster serves and CloudPilot spoke, e.g. networking.istio.io/v1. */
  apiVersion: string;
  kind: string;
  items: Record<string, unknown>[];
  continue: string | null;
}

export class MeshObjectDto {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
  /** Findings about this object (null for Gateway API objects and with validate=false). */
  validations: MeshFindingDto[] | null;
  skippedChecks: SkippedCheckDto[] | null;
}

export class IstioWriteResultDto {
  apiVersion: string;
  kind: string;
  dryRun: boolean;
  /** What the API server stored (or, on dryRun, would have stored), without managedFields. */
  object: Record<string, unknown> | null;
}
