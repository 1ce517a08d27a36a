import type { CertificateRecord } from '../cluster-state/records/certificate';
import type { TelemetryStateDto } from '../telemetry/telemetry.dto';
import type { CrossingForecast, ForecastMethod } from './methods/crossing-forecast';
import type { Point } from './methods/series';

/** What a forecast is about: the whole cluster, one workload, node, node pool, HPA or PVC. */
export type ForecastScope =
  'cluster' | 'workload' | 'node' | 'nodePool' | 'hpa' | 'pvc' | 'certificate';

/** The dates and names a certificate expiry forecast is based on (never key material). */
export type CertificateBasis = Pick<
  CertificateRecord,
  'source' | 'secretName' | 'notBefore' | 'renewalTime' | 'ready' | 'dnsNames' | 'issuer'
> & { notAfter: string };

/** One forecast with its basis: what crosses which threshold, when, how sure, from which points. */
export interface Forecast extends Omit<CrossingForecast, 'method'> {
  /** How it was made: a fitted method, or certificate-dates (a known expiry, nothing fitted). */
  method: ForecastMethod | 'certificate-dates' | null;
  /** Stable FORECAST_* code (docs/forecasts.md); also the code of the finding it may become. */
  code: string;
  /** What crossing the threshold means, in one sentence a person acts on. */
  meaning: string;
  metric: string;
  scope: ForecastScope;
  /** The namespace of a workload or HPA forecast, else null. */
  namespace: string | null;
  /** The workload or HPA (`<Kind>/<name>`), the node, node pool or claim, else null. */
  name: string | null;
  /** The container of a workload's FORECAST_MEMORY_LIMIT. */
  container?: string;
  threshold: number | null;
  /** The points the forecast used, oldest first. */
  basis: Point[];
  /** Set for FORECAST_CERTIFICATE_EXPIRY. */
  certificate?: CertificateBasis;
}

/** What every forecast source is asked for: one cluster, one moment, one horizon and window. */
export interface ForecastRequest {
  clusterId: string;
  now: number;
  horizonMs: number;
  windowMs: number;
  /**
   * Asked by the forecast findings: a source may leave out the forecasts whose finding another
   * module raises (FINDINGS_BY_BEHAVIOUR) and spare their queries.
   */
  forFindings?: boolean;
}

/** A source that reads Prometheus answers with its state: an error there is data, not a failure. */
export interface ForecastAnswer {
  forecasts: Forecast[];
  telemetry: TelemetryStateDto;
}

/**
 * One kind of forecast (saturation, restarts, …). ForecastsService asks every registered source
 * and lists what they answer; adding a forecast is adding a source to FORECAST_SOURCES.
 */
export interface ForecastSource {
  forecasts(request: ForecastRequest): Promise<Forecast[] | ForecastAnswer>;
}

/** The injection token of the list of forecast sources (see forecasts.module.ts). */
export const FORECAST_SOURCES = Symbol('FORECAST_SOURCES');
