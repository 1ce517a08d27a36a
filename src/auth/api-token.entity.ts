import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '../common/request-context';

/**
 * An API token as stored: never the token itself, only its public id (for lookup) and the
 * SHA-256 of its secret part (compared in constant time).
 */
@Entity('api_token')
export class ApiToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 128, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  /** JSON list of grants; null means `role` on every cluster and namespace (tokens made before grants). */
  @Column({ type: 'text', nullable: true })
  grants: string | null;

  @Column({ name: 'public_id', type: 'varchar', length: 32, unique: true })
  publicId: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32, nullable: true })
  expiresAt: string | null;

  @Column({ name: 'last_used_at', type: 'varchar', length: 32, nullable: true })
  lastUsedAt: string | null;
}
