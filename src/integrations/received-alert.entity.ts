import { Entity } from 'typeorm';
import { Columns } from '../database/column.decorator';

/**
 * An alert as Alertmanager last sent it: one row per (receiver, fingerprint, startsAt), so the
 * re-sends of a firing alert and its resolution update one row, and a new firing is a new row.
 */
@Entity('received_alert')
export class ReceivedAlert {
  @Columns.uuidPrimary() id: string;
  @Columns.varchar(36, { name: 'receiver_id' }) receiverId: string;
  @Columns.varchar(64) fingerprint: string;
  @Columns.varchar(16) status: string;
  @Columns.varchar(256) alertname: string;

  /** The CloudPilot cluster its labels name, when one matched. */
  @Columns.clusterId(64, { nullable: true }) clusterId: string | null;

  @Columns.text() labels: string;
  @Columns.text() annotations: string;

  /** As Alertmanager wrote it (RFC 3339, maybe with nanoseconds), hence wider than our own times. */
  @Columns.varchar(40, { name: 'starts_at' }) startsAt: string;
  @Columns.varchar(40, { name: 'ends_at', nullable: true }) endsAt: string | null;

  @Columns.varchar(2048, { name: 'generator_url', nullable: true }) generatorUrl: string | null;

  /** JSON of the AlertLink list: the findings of its objects when it was last received. */
  @Columns.text() links: string;

  @Columns.isoTime({ name: 'received_at' }) receivedAt: string;
}
