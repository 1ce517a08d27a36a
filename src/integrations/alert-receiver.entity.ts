import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An Alertmanager receiver allowed to post alerts in. Its token works on the alerts-in route only
 * (it is no API token); stored as the tokens are: public id and SHA-256 of the secret part.
 */
@Entity('alert_receiver')
export class AlertReceiver {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 128, unique: true })
  name: string;

  @Column({ name: 'public_id', type: 'varchar', length: 32, unique: true })
  publicId: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
