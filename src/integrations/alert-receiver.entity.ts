import { Entity } from 'typeorm';
import { HashedSecretRow } from '../auth/hashed-secret-row';
import { Columns } from '../database/column.decorator';

/**
 * An Alertmanager receiver allowed to post alerts in. Its token works on the alerts-in route only
 * (it is no API token); stored as the tokens are: public id and SHA-256 of the secret part.
 */
@Entity('alert_receiver')
export class AlertReceiver extends HashedSecretRow {
  @Columns.uuidPrimary() id: string;
  @Columns.varchar(128, { unique: true }) name: string;
  @Columns.createdAt() createdAt: string;
}
