import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { LlmProposal } from '../llm/proposals/llm-proposal.entity';
import { MonitorModule } from '../monitor/monitor.module';
import { DeliveriesService } from './deliveries.service';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationEventRow } from './notification-event.entity';
import { NotificationRoute } from './notification-route.entity';
import { NotificationRoutesService } from './notification-routes.service';
import { NotificationsController } from './notifications.controller';
import { NotifiedFinding } from './notified-finding.entity';
import { OutboxRecorder } from './outbox-recorder';
import { OutboxReminders } from './outbox-reminders';
import { OutboxSender } from './outbox-sender';
import { OutboxStore } from './outbox-store';
import { RouteCipher } from './route-cipher';

/**
 * Notifications out: routes to webhooks, CloudEvents sinks, Slack and Alertmanager, and the
 * durable outbox between CloudPilot's changes and them (docs/integrations.md). Exports the
 * OutboxStore so other modules (alerts in) can commit their own events.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      NotificationRoute,
      NotificationEventRow,
      NotificationDelivery,
      NotifiedFinding,
      LlmProposal,
    ]),
    DiagnosticsModule,
    MonitorModule,
  ],
  controllers: [NotificationsController],
  providers: [
    RouteCipher,
    OutboxStore,
    OutboxRecorder,
    OutboxReminders,
    OutboxSender,
    NotificationRoutesService,
    DeliveriesService,
  ],
  exports: [OutboxStore],
})
export class NotificationsModule {}
