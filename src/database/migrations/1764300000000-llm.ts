import { col, CreateTablesMigration, index, table } from './migration-kit';

const llmSession = table('llm_session', [
  col.uuid('id', 'primary'),
  col.varchar('owner', 128),
  col.varchar('title', 256),
  col.clusterId(64),
  col.varchar('provider', 32),
  col.varchar('model', 128),
  col.varchar('language', 8),
  col.integer('prompt_tokens'),
  col.integer('completion_tokens'),
  col.integer('cost_micro_usd'),
  col.createdAt(),
  col.updatedAt(),
  index('idx_llm_session_owner', 'owner', 'updated_at'),
]);

const llmMessage = table('llm_message', [
  col.uuid('id', 'primary'),
  col.uuid('session_id'),
  col.integer('seq'),
  col.varchar('role', 16),
  col.text('content'),
  col.text('tool_calls', 'nullable'),
  col.varchar('tool_call_id', 128, 'nullable'),
  col.varchar('tool_name', 64, 'nullable'),
  col.createdAt(),
  index('idx_llm_message_session_seq', 'session_id', 'seq'),
]);

const llmProposal = table('llm_proposal', [
  col.uuid('id', 'primary'),
  col.uuid('session_id', 'nullable'),
  col.varchar('owner', 128),
  col.clusterId(64),
  col.varchar('action', 16),
  col.varchar('target_kind', 256),
  col.varchar('target_namespace', 63, 'nullable'),
  col.varchar('target_name', 253, 'nullable'),
  col.text('params'),
  col.text('reason'),
  col.text('preview'),
  col.varchar('resource_version', 64, 'nullable'),
  col.varchar('status', 16),
  col.createdAt(),
  col.isoTime('expires_at'),
  col.varchar('decided_by', 128, 'nullable'),
  col.isoTime('decided_at', 'nullable'),
  col.varchar('result_code', 64, 'nullable'),
  index('idx_llm_proposal_session', 'session_id'),
]);

/** The assistant's sessions, their messages and the changes it proposed. */
export class Llm1764300000000 extends CreateTablesMigration {
  name = 'Llm1764300000000';
  protected tables = [llmSession, llmMessage, llmProposal];
}
