import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A registered cluster. The connection (server, CA, credential) is stored only sealed with
 * AES-256-GCM (`credential_*`); `server` is kept in clear for listing and is not a secret.
 */
@Entity('cluster')
export class ClusterEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  name: string;

  @Column({ name: 'display_name', type: 'varchar', length: 256 })
  displayName: string;

  @Column({ type: 'varchar', length: 1024 })
  description: string;

  /** JSON object of string labels. */
  @Column({ type: 'text' })
  labels: string;

  @Column({ type: 'varchar', length: 2048 })
  server: string;

  @Column({ name: 'auth_type', type: 'varchar', length: 32 })
  authType: string;

  @Column({ name: 'credential_key_id', type: 'varchar', length: 32 })
  credentialKeyId: string;

  @Column({ name: 'credential_nonce', type: 'varchar', length: 32 })
  credentialNonce: string;

  @Column({ name: 'credential_ciphertext', type: 'text' })
  credentialCiphertext: string;

  @Column({ name: 'is_default', type: 'boolean' })
  isDefault: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;

  @Column({ name: 'last_status', type: 'varchar', length: 16 })
  lastStatus: string;

  @Column({ name: 'last_error_code', type: 'varchar', length: 64, nullable: true })
  lastErrorCode: string | null;

  @Column({ name: 'kubernetes_version', type: 'varchar', length: 64, nullable: true })
  kubernetesVersion: string | null;

  @Column({ name: 'checked_at', type: 'varchar', length: 32, nullable: true })
  checkedAt: string | null;
}
