import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsIntegerIn } from '../common/integer.decorator';
import { FollowsRule, IsK8sNamespace, IsK8sObjectName } from '../common/k8s-validators';
import { BASE64_TEXT, DNS_LABEL_RULE } from '../common/input-vocabulary';
import { MatchesDocumented } from '../common/documented-pattern.decorator';
const HEALTH_STATES = ['healthy', 'degraded', 'failure', 'noTraffic'] as const;

/** A Prometheus-compatible query API at a URL, with its credential. */
export class UrlTelemetrySourceDto {
  @IsIn(['url'])
  @ApiProperty({ enum: ['url'] })
  type: 'url';

  /** The query API's base URL (https; http only for loopback when allowed), path prefix kept. */
  @IsString()
  @MaxLength(2048)
  url: string;

  /** Bearer token (give either this or username + password). */
  @IsOptional()
  @IsString()
  @MaxLength(16384)
  bearerToken?: string;

  /** Basic auth, with password. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  username?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  /** Base64 PEM of the CA that signed the server's certificate. */
  @IsOptional()
  @MatchesDocumented(BASE64_TEXT, { optional: true })
  @MaxLength(65536)
  caData?: string;

  @IsOptional()
  @IsString()
  @MaxLength(253)
  tlsServerName?: string;
}

/** The in-cluster Prometheus, reached through the API server's Service proxy. */
export class InClusterTelemetrySourceDto {
  @IsIn(['inCluster'])
  @ApiProperty({ enum: ['inCluster'] })
  type: 'inCluster';

  /** The Service's namespace and name (both or neither); absent, the first well-known one found. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  @FollowsRule(DNS_LABEL_RULE, { optional: true })
  service?: string;

  /** Port name or number (default: web, http, 9090 or the first); needs service. */
  @IsOptional()
  @Matches(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/)
  port?: string;
}

/** A cluster's Prometheus source: a URL with its credential, or the in-cluster Prometheus. */
export type TelemetrySourceInput = UrlTelemetrySourceDto | InClusterTelemetrySourceDto;

/** The body of PUT …/telemetry/source, read by the DTO its `type` names. */
export const TELEMETRY_SOURCE_BODY = {
  tag: 'type',
  variants: { url: UrlTelemetrySourceDto, inCluster: InClusterTelemetrySourceDto },
};

/** A stored source as it is shown: never its credential. */
export class TelemetrySourceDto {
  configured: boolean;
  @ApiProperty({ enum: ['url', 'inCluster'], nullable: true })
  type: 'url' | 'inCluster' | null;
  /** The URL, or namespace/name:port of a named in-cluster Service; null for well-known discovery. */
  target: string | null;
  @ApiProperty({ enum: ['none', 'bearer', 'basic', 'cluster'], nullable: true })
  authType: 'none' | 'bearer' | 'basic' | 'cluster' | null;
  hasCa: boolean;
}

export class TelemetryErrorDto {
  code: string;
  message: string;
}

/** Whether the answer has data: ok; notConfigured (a state, not an error); error (with it). */
export class TelemetryStateDto {
  @ApiProperty({ enum: ['ok', 'notConfigured', 'error'] })
  state: 'ok' | 'notConfigured' | 'error';
  @ApiProperty({ type: TelemetryErrorDto, nullable: true })
  error: TelemetryErrorDto | null;
  /**
   * PromQL queries the evaluation behind this answer sent (constant per route, whatever the
   * number of services); a shared answer (`cacheAgeMs` set) cost this request none.
   */
  queries: number;
  elapsedMs: number;
  /**
   * Set when the answer is another request's evaluation of the same view, shared within
   * `telemetry.viewCacheSeconds`: how long ago that evaluation ended (0 when both waited for it).
   */
  cacheAgeMs?: number;
  /**
   * Set (true) when a namespace's answer was taken from the cluster-wide evaluation of the same
   * view and window, shared at that moment, instead of queries of its own: the same numbers,
   * since the namespace's series are among the cluster's (docs/telemetry.md).
   */
  derivedFromCluster?: boolean;
}

export class TelemetryClusterDto {
  id: string;
  name: string;
}

export class TelemetrySourceTestDto {
  cluster: TelemetryClusterDto;
  source: TelemetrySourceDto;
  telemetry: TelemetryStateDto;
}

export class SignalsQueryDto {
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** Only the service or workload of this name. */
  @IsK8sObjectName({ optional: true })
  name?: string;

  @IsOptional()
  @IsIn(HEALTH_STATES)
  health?: (typeof HEALTH_STATES)[number];

  /** The window rates and quantiles are taken over, in seconds (10–86400, default 300). */
  @IsIntegerIn(10, 86400, { optional: true, query: true, default: 300 })
  windowSeconds: number = 300;

  @IsIntegerIn(1, 500, { optional: true, query: true, default: 100 })
  limit: number = 100;

  @IsIntegerIn(0, undefined, { optional: true, query: true, default: 0 })
  offset: number = 0;
}

export class GraphQueryDto {
  /** Edges that leave or enter this namespace; absent: the whole cluster. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  @IsIntegerIn(10, 86400, { optional: true, query: true, default: 300 })
  windowSeconds: number = 300;

  /** mermaid: also the graph as a Mermaid flowchart in `mermaid`. */
  @IsOptional()
  @IsIn(['json', 'mermaid'])
  format?: 'json' | 'mermaid';
}

export class LatencyDto {
  @ApiProperty({ type: Number, nullable: true })
  p50: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p95: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p99: number | null;
}

export class GoldenSignalsDto {
  requestsPerSecond: number;
  errorRatio5xx: number;
  errorRatio4xx: number;
  grpcErrorRatio: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  responseCodes: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  grpcCodes: Record<string, number>;
  protocols: string[];
  latencyMs: LatencyDto;
}

export class HealthReasonDto {
  @ApiProperty({ enum: ['5xx', '4xx', 'grpc'] })
  code: '5xx' | '4xx' | 'grpc';
  @ApiProperty({ enum: ['inbound', 'outbound'] })
  direction: 'inbound' | 'outbound';
  percent: number;
  degraded: number;
  failure: number;
  @ApiProperty({ enum: ['degraded', 'failure'] })
  status: 'degraded' | 'failure';
}

export class HealthDto {
  @ApiProperty({ enum: HEALTH_STATES })
  status: (typeof HEALTH_STATES)[number];
  reasons: HealthReasonDto[];
}

export class ServiceSignalsDto {
  @ApiProperty({ enum: ['service', 'workload'] })
  kind: 'service' | 'workload';
  namespace: string;
  name: string;
  inbound: GoldenSignalsDto;
  /** Workloads only: what they call. */
  @ApiProperty({ type: GoldenSignalsDto, nullable: true })
  outbound: GoldenSignalsDto | null;
  health: HealthDto;
}

export class SignalsListDto {
  cluster: TelemetryClusterDto;
  telemetry: TelemetryStateDto;
  windowSeconds: number;
  generatedAt: string;
  total: number;
  limit: number;
  offset: number;
  items: ServiceSignalsDto[];
}

export class GraphNodeDto {
  id: string;
  @ApiProperty({ enum: ['workload', 'service', 'unknown'] })
  type: 'workload' | 'service' | 'unknown';
  @ApiProperty({ type: String, nullable: true })
  namespace: string | null;
  name: string;
}

export class GraphEdgeDto {
  source: string;
  target: string;
  @ApiProperty({ enum: ['call', 'route'] })
  kind: 'call' | 'route';
  protocol: string;
  requestsPerSecond: number;
  errorPercent: number;
  clientErrorPercent: number;
  @ApiProperty({ type: Number, nullable: true })
  p95Ms: number | null;
  mtlsPercent: number;
  tcpBytesPerSecond: number;
}

export class ServiceGraphDto {
  cluster: TelemetryClusterDto;
  telemetry: TelemetryStateDto;
  windowSeconds: number;
  generatedAt: string;
  @ApiProperty({ type: String, nullable: true })
  namespace: string | null;
  nodes: GraphNodeDto[];
  edges: GraphEdgeDto[];
  /** format=mermaid: the graph as a Mermaid flowchart; else null. */
  @ApiProperty({ type: String, nullable: true })
  mermaid: string | null;
}
