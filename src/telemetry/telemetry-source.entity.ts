import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A cluster's Prometheus source (server mode). Like a cluster's connection, the source itself —
 * URL, credential, CA — is stored only sealed with AES-256-GCM (`credential_*`, bound to the
 * cluster id); `target` and `auth_type` are kept in clear for listing and are not secrets.
 */
@Entity('telemetry_source')
export class TelemetrySourceEntity {
  @PrimaryColumn({ name: 'cluster_id', type: 'varchar', length: 36 })
  clusterId: string;

  @Column({ type: 'varchar', length: 16 })
  type: string;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  target: string | null;

  @Column({ name: 'auth_type', type: 'varchar', length: 16 })
  authType: string;

  @Column({ name: 'credential_key_id', type: 'varchar', length: 32 })
  credentialKeyId: string;

  @Column({ name: 'credential_nonce', type: 'varchar', length: 32 })
  credentialNonce: string;

  @Column({ name: 'credential_ciphertext', type: 'text' })
  credentialCiphertext: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
