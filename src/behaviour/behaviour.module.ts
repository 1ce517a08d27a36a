import { Module } from '@nestjs/common';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { MonitorModule } from '../monitor/monitor.module';
import { BehaviourController } from './behaviour.controller';
import { BehaviourFindings } from './behaviour-findings.service';
import { BehaviourStatusService } from './behaviour-status.service';

/**
 * Behaviour: findings from what workloads do (error rates, latency regressions, traffic drops,
 * CPU throttling, memory near the limit, volumes filling), read from the cluster's Prometheus
 * through telemetry and merged into diagnostics through ExternalFindings.
 */
@Module({
  imports: [MonitorModule, DiagnosticsModule],
  controllers: [BehaviourController],
  providers: [BehaviourFindings, BehaviourStatusService],
})
export class BehaviourModule {}
