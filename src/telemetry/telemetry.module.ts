import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GraphService } from './graph.service';
import { InstantTelemetrySources } from './instant-telemetry-sources';
import { LiveUsage } from './live-usage';
import { MetricsQueryService } from './metrics-query.service';
import { PrometheusConnections } from './prometheus-connections';
import { RecentViews } from './recent-views';
import { RegistryTelemetrySources } from './registry-telemetry-sources';
import { SignalsService } from './signals.service';
import { TelemetryController } from './telemetry.controller';
import { TelemetrySourceEntity } from './telemetry-source.entity';
import { TelemetrySourceService } from './telemetry-source.service';
import { TelemetryRunner } from './telemetry-runner';
import { TelemetrySources } from './telemetry-sources';
import { ViewWarmer } from './view-warmer';

const SERVICES = [
  PrometheusConnections,
  TelemetryRunner,
  RecentViews,
  SignalsService,
  GraphService,
  TelemetrySourceService,
  MetricsQueryService,
  LiveUsage,
  ViewWarmer,
];

/**
 * Telemetry: the one adapter to Prometheus's query API, and the views over it (golden signals,
 * health, the service graph). Global, like the registry: the overview and the assistant read it.
 */
@Module({})
export class TelemetryModule {
  static forServer(): DynamicModule {
    return TelemetryModule.with(RegistryTelemetrySources, [
      TypeOrmModule.forFeature([TelemetrySourceEntity]),
    ]);
  }

  static forInstant(): DynamicModule {
    return TelemetryModule.with(InstantTelemetrySources, []);
  }

  private static with(sources: Type<TelemetrySources>, imports: DynamicModule[]): DynamicModule {
    return {
      module: TelemetryModule,
      global: true,
      imports,
      controllers: [TelemetryController],
      providers: [...SERVICES, { provide: TelemetrySources, useClass: sources }],
      exports: [SignalsService, GraphService, MetricsQueryService, TelemetryRunner, LiveUsage],
    };
  }
}
