import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { connectionPolicy } from '../cluster-registry/cluster-mapping';
import { ConfigProvider } from '../config/config.provider';
import { PrometheusConnections } from './prometheus-connections';
import { sourceFromInput } from './source-input';
import { describeSource } from './telemetry-source';
import { TelemetryRunner } from './telemetry-runner';
import { TelemetrySources } from './telemetry-sources';
import type {
  TelemetrySourceDto,
  TelemetrySourceInput,
  TelemetrySourceTestDto,
} from './telemetry.dto';

const NOT_CONFIGURED: TelemetrySourceDto = {
  configured: false,
  type: null,
  target: null,
  authType: null,
  hasCa: false,
};

/** Set, show, test and remove a cluster's Prometheus source; its credential is never shown. */
@Injectable()
export class TelemetrySourceService {
  constructor(
    private readonly directory: ClusterDirectory,
    private readonly sources: TelemetrySources,
    private readonly connections: PrometheusConnections,
    private readonly runner: TelemetryRunner,
    private readonly configProvider: ConfigProvider,
  ) {}

  async get(clusterIdOrName: string): Promise<TelemetrySourceDto> {
    const { id } = await this.directory.get(clusterIdOrName);
    const stored = await this.sources.get(id);
    return stored ? { configured: true, ...describeSource(stored.source) } : NOT_CONFIGURED;
  }

  async set(clusterIdOrName: string, input: TelemetrySourceInput): Promise<TelemetrySourceDto> {
    const { id } = await this.directory.get(clusterIdOrName);
    const source = sourceFromInput(input, connectionPolicy(this.configProvider));
    await this.sources.set(id, source);
    this.connections.forget(id);
    return { configured: true, ...describeSource(source) };
  }

  async remove(clusterIdOrName: string): Promise<void> {
    const { id } = await this.directory.get(clusterIdOrName);
    await this.sources.remove(id);
    this.connections.forget(id);
  }

  /** One trivial query (`vector(1)`): reachability, credential and API shape, as data. */
  async test(clusterIdOrName: string): Promise<TelemetrySourceTestDto> {
    const run = await this.runner.run(clusterIdOrName, null, async (q) => {
      await q.instant('vector(1)');
      return null;
    });
    return {
      cluster: run.cluster,
      source: await this.get(run.cluster.id),
      telemetry: run.telemetry,
    };
  }
}
