import type { TelemetrySource } from './telemetry-source';

/** A cluster's source and the version of it (a changed source gets a new client). */
export interface StoredSource {
  source: TelemetrySource;
  fingerprint: string;
}

/**
 * Where each cluster's Prometheus source is kept. Server mode: sealed in the database beside the
 * cluster; instant mode: the config keys, read-only. "Not configured" is undefined, not an error.
 */
export abstract class TelemetrySources {
  abstract get(clusterId: string): Promise<StoredSource | undefined>;
  abstract set(clusterId: string, source: TelemetrySource): Promise<void>;
  abstract remove(clusterId: string): Promise<void>;
}
