import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { HealthModule } from '../health/health.module';
import { MonitorModule } from '../monitor/monitor.module';
import { ObjectChanges } from '../k8s-resources/object-changes';
import { TimelineObjectChanges } from './object-changes.provider';
import { ChangeRecord } from './change-record.entity';
import { ChangeRecorder } from './change.recorder';
import { ChangesController } from './changes.controller';
import { ChangesService } from './changes.service';
import { NoServiceNeighbours, ServiceNeighbours } from './service-neighbours';
import { SuspectsService } from './suspects.service';

/**
 * The change timeline (docs/changes.md): recorded from the snapshot's watch events by the leader,
 * served by GET …/changes, and joined to findings as ranked suspects. Global only so that the
 * events route (a lower layer) can join an object's changes through its ObjectChanges port.
 */
@Global()
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
    { provide: ObjectChanges, useClass: TimelineObjectChanges },
  ],
  exports: [ChangesService, SuspectsService, ChangeRecorder, ObjectChanges],
})
export class ChangesModule {}
