import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { HealthModule } from '../health/health.module';
import { MonitorModule } from '../monitor/monitor.module';
import { ChangeRecord } from './change-record.entity';
import { ChangeRecorder } from './change.recorder';
import { ChangesController } from './changes.controller';
import { ChangesService } from './changes.service';
import { NoServiceNeighbours, ServiceNeighbours } from './service-neighbours';
import { SuspectsService } from './suspects.service';

/**
 * The change timeline (docs/changes.md): recorded from the snapshot's watch events by the leader,
 * served by GET …/changes, and joined to findings as ranked suspects.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ChangeRecord]),
    MonitorModule,
    DiagnosticsModule,
    HealthModule,
  ],
  controllers: [ChangesController],
  providers: [
    ChangeRecorder,
    ChangesService,
    SuspectsService,
    { provide: ServiceNeighbours, useClass: NoServiceNeighbours },
  ],
  exports: [ChangesService, SuspectsService, ChangeRecorder],
})
export class ChangesModule {}
