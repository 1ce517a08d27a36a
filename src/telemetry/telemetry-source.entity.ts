import { Entity } from 'typeorm';
import { SealedCredentialRow } from '../cluster-registry/sealed-credential-row';
import { Columns } from '../database/column.decorator';

/**
 * A cluster's Prometheus source (server mode). Like a cluster's connection, the source itself —
 * URL, credential, CA — is stored only sealed with AES-256-GCM (`credential_*`, bound to the
 * cluster id); `target` and `auth_type` are kept in clear for listing and are not secrets.
 */
@Entity('telemetry_source')
export class TelemetrySourceEntity extends SealedCredentialRow {
  @Columns.clusterIdPrimary() clusterId: string;
  @Columns.varchar(16) type: string;
  @Columns.varchar(2048, { nullable: true }) target: string | null;
  @Columns.varchar(16, { name: 'auth_type' }) authType: string;
  @Columns.updatedAt() updatedAt: string;
}
