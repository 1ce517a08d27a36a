import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '../health/health.module';
import { MonitorModule } from '../monitor/monitor.module';
import { DiagnosticsController } from './diagnostics.controller';
import { DiagnosticsMetrics } from './diagnostics.metrics';
import { DiagnosticsService } from './diagnostics.service';
import { ExternalFindings } from './external-findings';
import { FindingSourceRuntime } from './periodic-finding-source';
import { DiagnosticsSilence } from './silence.entity';
import { SilencesController } from './silences.controller';
import { SilencesService } from './silences.service';

/**
 * Diagnostics: findings, evidence and health scores computed from the Monitor's snapshots, and
 * the silences that mark accepted findings. Exports DiagnosticsService for the LLM assistant's
 * tools, and ExternalFindings (with FindingSourceRuntime for periodic sources) for findings
 * computed elsewhere (forecasts, behaviour).
 */
@Module({
  imports: [TypeOrmModule.forFeature([DiagnosticsSilence]), MonitorModule, HealthModule],
  // Silences first: their static path must be matched before the findings' `:findingId`.
  controllers: [SilencesController, DiagnosticsController],
  providers: [
    DiagnosticsService,
    DiagnosticsMetrics,
    ExternalFindings,
    FindingSourceRuntime,
    SilencesService,
  ],
  exports: [DiagnosticsService, ExternalFindings, FindingSourceRuntime],
})
export class DiagnosticsModule {}
