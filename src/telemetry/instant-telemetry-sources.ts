import { Injectable } from '@nestjs/common';
import { connectionPolicy } from '../cluster-registry/cluster-mapping';
import { refusedInInstantMode } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { sourceFromConfig } from './source-input';
import { StoredSource, TelemetrySources } from './telemetry-sources';

const SOURCE_FROM_CONFIG =
  'Instant mode reads the Prometheus source from telemetry.* configuration; run in server mode to set it per cluster';

/** Instant mode: the one cluster's source comes from the telemetry.* config keys, read-only. */
@Injectable()
export class InstantTelemetrySources extends TelemetrySources {
  private stored: StoredSource | undefined;
  private read = false;

  constructor(private readonly configProvider: ConfigProvider) {
    super();
  }

  async get(): Promise<StoredSource | undefined> {
    if (!this.read) {
      const source = sourceFromConfig(
        this.configProvider.config.telemetry,
        connectionPolicy(this.configProvider),
      );
      this.stored = source && { source, fingerprint: 'config' };
      this.read = true;
    }
    return this.stored;
  }

  set(): Promise<void> {
    return refusedInInstantMode(SOURCE_FROM_CONFIG);
  }

  remove(): Promise<void> {
    return refusedInInstantMode(SOURCE_FROM_CONFIG);
  }
}
