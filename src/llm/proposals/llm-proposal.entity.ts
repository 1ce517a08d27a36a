import { Entity } from 'typeorm';
import { Columns } from '../../database/column.decorator';

export type ProposalStatus = 'pending' | 'applying' | 'applied' | 'rejected' | 'expired' | 'failed';

/** A change the assistant drafted: dry-run result and diff, waiting for an operator until it expires. */
@Entity('llm_proposal')
export class LlmProposal {
  @Columns.uuidPrimary() id: string;
  @Columns.varchar(36, { name: 'session_id', nullable: true }) sessionId: string | null;
  @Columns.varchar(128) owner: string;
  @Columns.clusterId(64) clusterId: string;
  @Columns.varchar(16) action: string;
  @Columns.varchar(256, { name: 'target_kind' }) targetKind: string;
  @Columns.varchar(63, { name: 'target_namespace', nullable: true }) targetNamespace: string | null;
  @Columns.varchar(253, { name: 'target_name', nullable: true }) targetName: string | null;

  /** JSON of the action's parameters (replicas, manifest…). */
  @Columns.text() params: string;

  @Columns.text() reason: string;

  /** JSON of the dry run: the server's answer (slim view) and the diff. */
  @Columns.text() preview: string;

  /** The target's resourceVersion when proposed; approval refuses if it moved. */
  @Columns.varchar(64, { name: 'resource_version', nullable: true }) resourceVersion: string | null;

  @Columns.varchar(16) status: ProposalStatus;
  @Columns.createdAt() createdAt: string;
  @Columns.isoTime({ name: 'expires_at' }) expiresAt: string;
  @Columns.varchar(128, { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Columns.isoTime({ name: 'decided_at', nullable: true }) decidedAt: string | null;
  @Columns.varchar(64, { name: 'result_code', nullable: true }) resultCode: string | null;
}
