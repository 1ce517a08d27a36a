import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { MonitorModule } from '../monitor/monitor.module';
import { DiagnosticsController } from './diagnostics.controller';
import { DiagnosticsMetrics } from './diagnostics.metrics';
import { DiagnosticsService } from './diagnostics.service';

/**
 * Diagnostics: findings, evidence and health scores computed from the Monitor's snapshots. Exports
 * DiagnosticsService for the LLM assistant's tools.
 */
@Module({
  imports: [MonitorModule, HealthModule],
  controllers: [DiagnosticsController],
  providers: [DiagnosticsService, DiagnosticsMetrics],
  exports: [DiagnosticsService],
})
export class DiagnosticsModule {}
