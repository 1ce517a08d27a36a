import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { MonitorModule } from '../monitor/monitor.module';
import { DiagnosticsController } from './diagnostics.controller';
import { DiagnosticsMetrics } from './diagnostics.metrics';
import { DiagnosticsService } from './diagnostics.service';
import { ExternalFindings } from './external-findings';

/**
 * Diagnostics: findings, evidence and health scores computed from the Monitor's snapshots. Exports
 * DiagnosticsService for the LLM assistant's tools, and ExternalFindings for findings computed
 * elsewhere (forecasts).
 */
@Module({
  imports: [MonitorModule, HealthModule],
  controllers: [DiagnosticsController],
  providers: [DiagnosticsService, DiagnosticsMetrics, ExternalFindings],
  exports: [DiagnosticsService, ExternalFindings],
})
export class DiagnosticsModule {}
