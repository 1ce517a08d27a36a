import type { DataSourceOptions } from 'typeorm';
import { ApiToken } from './auth/api-token.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { ChangeRecord } from './changes/change-record.entity';
import { ClusterEntity } from './cluster-registry/cluster.entity';
import { dataSourceOptions } from './database/database-options';
import { DiagnosticsSilence } from './diagnostics/silence.entity';
import { HistorySample } from './history/history-sample.entity';
import { AlertReceiver } from './integrations/alert-receiver.entity';
import { ReceivedAlert } from './integrations/received-alert.entity';
import { LlmProposal } from './llm/proposals/llm-proposal.entity';
import { LlmMessage } from './llm/sessions/llm-message.entity';
import { LlmSession } from './llm/sessions/llm-session.entity';
import { TelemetrySourceEntity } from './telemetry/telemetry-source.entity';
import { NotificationDelivery } from './notifications/notification-delivery.entity';
import { NotificationEventRow } from './notifications/notification-event.entity';
import { NotificationRoute } from './notifications/notification-route.entity';
import { NotifiedFinding } from './notifications/notified-finding.entity';
import { ReplicaMember } from './sharding/replica-member.entity';

/**
 * Every entity of the service; the migrations create exactly these tables. Listed here, at the
 * top of the layer map, because each entity belongs to its feature and the database adapter below
 * them must not import features.
 */
export const ENTITIES = [
  ApiToken,
  AuditEntry,
  ClusterEntity,
  LlmSession,
  LlmMessage,
  LlmProposal,
  HistorySample,
  DiagnosticsSilence,
  ChangeRecord,
  TelemetrySourceEntity,
  NotificationRoute,
  NotificationEventRow,
  NotificationDelivery,
  NotifiedFinding,
  AlertReceiver,
  ReceivedAlert,
  ReplicaMember,
];

/** The service's data source for a DATABASE_URL: the adapter's options with every entity. */
export function appDataSourceOptions(url: string): DataSourceOptions {
  return dataSourceOptions(url, ENTITIES);
}
