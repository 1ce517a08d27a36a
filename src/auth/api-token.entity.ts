import { Entity } from 'typeorm';
import type { Role } from '../common/request-context';
import { Columns } from '../database/column.decorator';
import { HashedSecretRow } from './hashed-secret-row';

/**
 * An API token as stored: never the token itself, only its public id (for lookup) and the
 * SHA-256 of its secret part (compared in constant time).
 */
@Entity('api_token')
export class ApiToken extends HashedSecretRow {
  @Columns.uuidPrimary() id: string;
  @Columns.varchar(128, { unique: true }) name: string;
  @Columns.varchar(16) role: Role;

  /** JSON list of grants; null means `role` on every cluster and namespace (tokens made before grants). */
  @Columns.text({ nullable: true }) grants: string | null;

  @Columns.createdAt() createdAt: string;
  @Columns.isoTime({ name: 'expires_at', nullable: true }) expiresAt: string | null;
  @Columns.isoTime({ name: 'last_used_at', nullable: true }) lastUsedAt: string | null;
}
