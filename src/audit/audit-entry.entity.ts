import { Entity } from 'typeorm';
import { Columns } from '../database/column.decorator';

/** One mutating request: who, what, when and how it ended. Request bodies are never stored. */
@Entity('audit_entry')
export class AuditEntry {
  @Columns.uuidPrimary() id: string;
  @Columns.isoTime() at: string;
  @Columns.varchar(128) actor: string;
  @Columns.varchar(16, { nullable: true }) role: string | null;

  /** How the actor signed in: token, oidc, serviceaccount or dev. */
  @Columns.varchar(16, { name: 'principal_kind', nullable: true }) principalKind: string | null;

  /** The actor's grants at the time, as JSON: what it could reach when it acted. */
  @Columns.text({ nullable: true }) grants: string | null;

  @Columns.varchar(8) method: string;
  @Columns.varchar(256) route: string;
  @Columns.varchar(1024) path: string;
  @Columns.varchar(1024, { nullable: true }) target: string | null;
  @Columns.integer() status: number;
  @Columns.varchar(64, { name: 'result_code' }) resultCode: string;
  @Columns.varchar(128, { name: 'request_id' }) requestId: string;
}
