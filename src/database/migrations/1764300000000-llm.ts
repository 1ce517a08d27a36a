import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** The assistant's sessions, their messages and the changes it proposed. */
export class Llm1764300000000 implements MigrationInterface {
  name = 'Llm1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'llm_session',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner', type: 'varchar', length: '128' },
          { name: 'title', type: 'varchar', length: '256' },
          { name: 'cluster_id', type: 'varchar', length: '64' },
          { name: 'provider', type: 'varchar', length: '32' },
          { name: 'model', type: 'varchar', length: '128' },
          { name: 'language', type: 'varchar', length: '8' },
          { name: 'prompt_tokens', type: 'integer' },
          { name: 'completion_tokens', type: 'integer' },
          { name: 'cost_micro_usd', type: 'integer' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
        indices: [{ name: 'idx_llm_session_owner', columnNames: ['owner', 'updated_at'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'llm_message',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'session_id', type: 'varchar', length: '36' },
          { name: 'seq', type: 'integer' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'content', type: 'text' },
          { name: 'tool_calls', type: 'text', isNullable: true },
          { name: 'tool_call_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'tool_name', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await runner.createIndex(
      'llm_message',
      new TableIndex({ name: 'idx_llm_message_session_seq', columnNames: ['session_id', 'seq'] }),
    );
    await runner.createTable(
      new Table({
        name: 'llm_proposal',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'session_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'owner', type: 'varchar', length: '128' },
          { name: 'cluster_id', type: 'varchar', length: '64' },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'target_kind', type: 'varchar', length: '256' },
          { name: 'target_namespace', type: 'varchar', length: '63', isNullable: true },
          { name: 'target_name', type: 'varchar', length: '253', isNullable: true },
          { name: 'params', type: 'text' },
          { name: 'reason', type: 'text' },
          { name: 'preview', type: 'text' },
          { name: 'resource_version', type: 'varchar', length: '64', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'expires_at', type: 'varchar', length: '32' },
          { name: 'decided_by', type: 'varchar', length: '128', isNullable: true },
          { name: 'decided_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'result_code', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [{ name: 'idx_llm_proposal_session', columnNames: ['session_id'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('llm_proposal');
    await runner.dropTable('llm_message');
    await runner.dropTable('llm_session');
  }
}
