import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One conversation with the assistant, owned by the token that opened it. */
@Entity('llm_session')
export class LlmSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The API token id (or principal name without auth) that owns it; nobody else may read it. */
  @Column({ type: 'varchar', length: 128 })
  owner: string;

  @Column({ type: 'varchar', length: 256 })
  title: string;

  @Column({ name: 'cluster_id', type: 'varchar', length: 64 })
  clusterId: string;

  @Column({ type: 'varchar', length: 32 })
  provider: string;

  @Column({ type: 'varchar', length: 128 })
  model: string;

  @Column({ type: 'varchar', length: 8 })
  language: string;

  @Column({ name: 'prompt_tokens', type: 'integer' })
  promptTokens: number;

  @Column({ name: 'completion_tokens', type: 'integer' })
  completionTokens: number;

  /** Cost in millionths of a USD, so both databases store it exactly as an integer. */
  @Column({ name: 'cost_micro_usd', type: 'integer' })
  costMicroUsd: number;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
