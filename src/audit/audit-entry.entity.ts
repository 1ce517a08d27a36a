import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One mutating request: who, what, when and how it ended. Request bodies are never stored. */
@Entity('audit_entry')
export class AuditEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  at: string;

  @Column({ type: 'varchar', length: 128 })
  actor: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  role: string | null;

  /** How the actor signed in: token, oidc, serviceaccount or dev. */
  @Column({ name: 'principal_kind', type: 'varchar', length: 16, nullable: true })
  principalKind: string | null;

  /** The actor's grants at the time, as JSON: what it could reach when it acted. */
  @Column({ type: 'text', nullable: true })
  grants: string | null;

  @Column({ type: 'varchar', length: 8 })
  method: string;

  @Column({ type: 'varchar', length: 256 })
  route: string;

  @Column({ type: 'varchar', length: 1024 })
  path: string;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  target: string | null;

  @Column({ type: 'integer' })
  status: number;

  @Column({ name: 'result_code', type: 'varchar', length: 64 })
  resultCode: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId: string;
}
