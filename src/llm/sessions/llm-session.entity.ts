import { Entity } from 'typeorm';
import { Columns } from '../../database/column.decorator';

/** One conversation with the assistant, owned by the token that opened it. */
@Entity('llm_session')
export class LlmSession {
  @Columns.uuidPrimary() id: string;

  /** The API token id (or principal name without auth) that owns it; nobody else may read it. */
  @Columns.varchar(128) owner: string;

  @Columns.varchar(256) title: string;
  @Columns.clusterId(64) clusterId: string;
  @Columns.varchar(32) provider: string;
  @Columns.varchar(128) model: string;
  @Columns.varchar(8) language: string;
  @Columns.integer({ name: 'prompt_tokens' }) promptTokens: number;
  @Columns.integer({ name: 'completion_tokens' }) completionTokens: number;

  /** Cost in millionths of a USD, so both databases store it exactly as an integer. */
  @Columns.integer({ name: 'cost_micro_usd' }) costMicroUsd: number;

  @Columns.createdAt() createdAt: string;
  @Columns.updatedAt() updatedAt: string;
}
