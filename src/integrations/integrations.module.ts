import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { AlertReceiver } from './alert-receiver.entity';
import { AlertReceiversService } from './alert-receivers.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { ReceivedAlert } from './received-alert.entity';

/** Alerts in: Alertmanager's webhook, its receivers, and the alerts linked to findings. */
@Module({
  imports: [TypeOrmModule.forFeature([AlertReceiver, ReceivedAlert]), DiagnosticsModule],
  controllers: [AlertsController],
  providers: [AlertReceiversService, AlertsService],
})
export class IntegrationsModule {}
