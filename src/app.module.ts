import { DynamicModule, MiddlewareConsumer, Module, NestModule, Type } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { Logger as Pino } from 'pino';
import { AccessModule } from './access/access.module';
import { AuditMiddleware } from './audit/audit.middleware';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChangesModule } from './changes/changes.module';
import { ClusterRegistryModule } from './cluster-registry/cluster-registry.module';
import { BODY_LIMIT_BYTES, BodyParserMiddleware } from './common/body-parser.middleware';
import { EnvelopeExceptionFilter } from './common/envelope-exception.filter';
import { EnvelopeInterceptor } from './common/envelope.interceptor';
import { RequestContextMiddleware } from './common/request-context.middleware';
import { createValidationPipe } from './common/validation.pipe';
import { K8sResourcesModule } from './k8s-resources/k8s-resources.module';
import { LoadedConfig } from './config/config-loader';
import { ConfigModule } from './config/config.module';
import {
  ConfigProvider,
  InstantConfigProvider,
  ServerConfigProvider,
} from './config/config.provider';
import { AppMode } from './config/config.types';
import { CoordinationModule } from './coordination/coordination.module';
import { ENTITIES } from './app-data-source';
import { DatabaseModule } from './database/database.module';
import { DiagnosticsModule } from './diagnostics/diagnostics.module';
import { HealthModule } from './health/health.module';
import { BehaviourModule } from './behaviour/behaviour.module';
import { ForecastsModule } from './forecasts/forecasts.module';
import { HistoryModule } from './history/history.module';
import { HttpMetricsMiddleware } from './health/http-metrics.middleware';
import { IntegrationsModule } from './integrations/integrations.module';
import { IstioGatewayModule } from './istio-gateway/istio-gateway.module';
import { AccessLogMiddleware } from './logging/access-log.middleware';
import { LlmModule } from './llm/llm.module';
import { LoggingModule } from './logging/logging.module';
import { McpModule } from './mcp/mcp.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OverviewModule } from './overview/overview.module';
import { RequestChainMiddleware } from './request-chain.middleware';
import { ShardingModule } from './sharding/sharding.module';
import { SystemModule } from './system/system.module';
import { TelemetryModule } from './telemetry/telemetry.module';

interface ModeVariant {
  configProvider: new (
    ...args: ConstructorParameters<typeof ServerConfigProvider>
  ) => ConfigProvider;
  /** Modules that exist only in this mode (e.g. the database-backed cluster registry in server mode). */
  imports: Array<Type<unknown> | DynamicModule>;
}

/** The one place where the two modes differ. */
const MODE_VARIANTS: Record<AppMode, ModeVariant> = {
  server: {
    configProvider: ServerConfigProvider,
    imports: [ClusterRegistryModule.forServer(), TelemetryModule.forServer()],
  },
  instant: {
    configProvider: InstantConfigProvider,
    imports: [ClusterRegistryModule.forInstant(), TelemetryModule.forInstant()],
  },
};

@Module({})
export class AppModule implements NestModule {
  static forRoot(loaded: LoadedConfig, pino: Pino): DynamicModule {
    const variant = MODE_VARIANTS[loaded.config.mode];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(new variant.configProvider(loaded.config, loaded.sources)),
        LoggingModule.forRoot(pino),
        DatabaseModule.forRoot(ENTITIES),
        CoordinationModule,
        HealthModule,
        AuthModule,
        AuditModule,
        SystemModule,
        ...variant.imports,
        AccessModule,
        K8sResourcesModule,
        OverviewModule,
        IstioGatewayModule,
        LlmModule,
        McpModule,
        HistoryModule,
        ForecastsModule,
        ChangesModule,
        BehaviourModule,
        DiagnosticsModule,
        NotificationsModule,
        IntegrationsModule,
        ShardingModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        {
          provide: BODY_LIMIT_BYTES,
          inject: [ConfigProvider],
          useFactory: (provider: ConfigProvider) => provider.config.server.bodyLimitBytes,
        },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        { provide: APP_FILTER, useClass: EnvelopeExceptionFilter },
        RequestContextMiddleware,
        HttpMetricsMiddleware,
        AccessLogMiddleware,
        AuditMiddleware,
        BodyParserMiddleware,
        RequestChainMiddleware,
      ],
    };
  }

  /**
   * The chain (RequestChainMiddleware says its order) is mounted once on '/', which the router
   * matches without a pattern: on '{*path}' every request paid a wildcard match and decode.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestChainMiddleware).forRoutes('/');
  }
}
