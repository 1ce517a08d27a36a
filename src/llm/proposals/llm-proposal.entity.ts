import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ProposalStatus = 'pending' | 'applying' | 'applied' | 'rejected' | 'expired' | 'failed';

/** A change the assistant drafted: dry-run result and diff, waiting for an operator until it expires. */
@Entity('llm_proposal')
export class LlmProposal {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;

  @Column({ type: 'varchar', length: 128 })
  owner: string;

  @Column({ name: 'cluster_id', type: 'varchar', length: 64 })
  clusterId: string;

  @Column({ type: 'varchar', length: 16 })
  action: string;

  @Column({ name: 'target_kind', type: 'varchar', length: 256 })
  targetKind: string;

  @Column({ name: 'target_namespace', type: 'varchar', length: 63, nullable: true })
  targetNamespace: string | null;

  @Column({ name: 'target_name', type: 'varchar', length: 253, nullable: true })
  targetName: string | null;

  /** JSON of the action's parameters (replicas, manifest…). */
  @Column({ type: 'text' })
  params: string;

  @Column({ type: 'text' })
  reason: string;

  /** JSON of the dry run: the server's answer (slim view) and the diff. */
  @Column({ type: 'text' })
  preview: string;

  /** The target's resourceVersion when proposed; approval refuses if it moved. */
  @Column({ name: 'resource_version', type: 'varchar', length: 64, nullable: true })
  resourceVersion: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: ProposalStatus;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt: string;

  @Column({ name: 'decided_by', type: 'varchar', length: 128, nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'varchar', length: 32, nullable: true })
  decidedAt: string | null;

  @Column({ name: 'result_code', type: 'varchar', length: 64, nullable: true })
  resultCode: string | null;
}
