import { IsIntegerIn } from '../common/integer.decorator';
import { TelemetryStateDto } from '../telemetry/telemetry.dto';

export class ForecastQueryDto {
  /** How far ahead a crossing counts as expected, in days (1–365, default 30). */
  @IsIntegerIn(1, 365, { optional: true, query: true })
  horizonDays?: number;

  /** How much history the forecasts fit, in hours (1–720, default 24). */
  @IsIntegerIn(1, 720, { optional: true, query: true })
  windowHours?: number;
}

export class ForecastPointDto {
  at: string;
  value: number;
}

/** What a certificate forecast is based on: the certificate's own dates and names. */
export class ForecastCertificateDto {
  /** cert-manager: a Certificate's status; secret: the tls.crt of a kubernetes.io/tls Secret (opt-in). */
  source: 'cert-manager' | 'secret';
  secretName: string;
  notBefore: string | null;
  notAfter: string;
  /** cert-manager only: when it will renew. */
  renewalTime: string | null;
  /** cert-manager's Ready condition; null for a Secret. */
  ready: boolean | null;
  dnsNames: string[];
  issuer: string | null;
}

export class ForecastDto {
  /** Stable code, e.g. FORECAST_CPU_REQUESTS_SATURATION (docs/forecasts.md). */
  code: string;
  /** What crossing the threshold means. */
  meaning: string;
  /** The metric forecast (CPU in cores, memory and usedBytes/workingSetBytes in bytes, pods a count, restartsPerHour a rate). */
  metric: string;
  /** cluster, node, nodePool (saturation, usage), workload (restart rate, memory limit), hpa (maxReplicas), pvc (fill), certificate (expiry). */
  scope: 'cluster' | 'workload' | 'node' | 'nodePool' | 'hpa' | 'pvc' | 'certificate';
  /** The namespace of a workload, HPA, claim or certificate, else null. */
  namespace: string | null;
  /** The workload, HPA or certificate as `<Kind>/<name>` (Certificate/… or Secret/…), the node, the pool or the claim, else null. */
  name: string | null;
  /** FORECAST_MEMORY_LIMIT: the container of the workload whose working set reaches its limit. */
  container?: string;
  /** The capacity the metric must stay below, as of the latest sample; null when unknown. */
  threshold: number | null;
  /** The fitted value now. */
  current: number | null;
  /** Expected crossing (ISO time); null when none is expected (see reason). */
  crossesAt: string | null;
  /** True when crossesAt is within horizonDays. */
  withinHorizon: boolean;
  /** 0–1: how well the method fits the points it used, discounted for few points. */
  confidence: number;
  /** linear or holt-winters (fitted), certificate-dates (a known expiry); null when no forecast was possible. */
  method: string | null;
  slopePerHour: number | null;
  /** Why there is no crossing: too few points, flat, decreasing, not growing, not filling, already at or above the threshold, capacity unknown; expired for a certificate. */
  reason: string | null;
  /** Set for FORECAST_CERTIFICATE_EXPIRY: the dates and names it is based on. */
  certificate?: ForecastCertificateDto;
  /** The points the forecast used, oldest first. */
  points: ForecastPointDto[];
}

export class ForecastClusterDto {
  id: string;
  name: string;
}

export class ForecastListDto {
  cluster: ForecastClusterDto;
  generatedAt: string;
  horizonDays: number;
  windowHours: number;
  /** Prometheus for the usage forecasts (CPU/memory usage, memory limits, volumes): notConfigured, ok, or error as data (the other forecasts are unaffected). */
  telemetry: TelemetryStateDto | null;
  items: ForecastDto[];
}
