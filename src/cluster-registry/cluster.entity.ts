import { Entity } from 'typeorm';
import { Columns } from '../database/column.decorator';
import { SealedCredentialRow } from './sealed-credential-row';

/**
 * A registered cluster. The connection (server, CA, credential) is stored only sealed with
 * AES-256-GCM (`credential_*`); `server` is kept in clear for listing and is not a secret.
 */
@Entity('cluster')
export class ClusterEntity extends SealedCredentialRow {
  @Columns.uuidPrimary() id: string;
  @Columns.varchar(63, { unique: true }) name: string;
  @Columns.varchar(256, { name: 'display_name' }) displayName: string;
  @Columns.varchar(1024) description: string;

  /** JSON object of string labels. */
  @Columns.text() labels: string;

  @Columns.varchar(2048) server: string;
  @Columns.varchar(32, { name: 'auth_type' }) authType: string;
  @Columns.boolean({ name: 'is_default' }) isDefault: boolean;
  @Columns.createdAt() createdAt: string;
  @Columns.updatedAt() updatedAt: string;
  @Columns.varchar(16, { name: 'last_status' }) lastStatus: string;
  @Columns.varchar(64, { name: 'last_error_code', nullable: true }) lastErrorCode: string | null;
  @Columns.varchar(64, { name: 'kubernetes_version', nullable: true })
  kubernetesVersion: string | null;
  @Columns.isoTime({ name: 'checked_at', nullable: true }) checkedAt: string | null;
}
