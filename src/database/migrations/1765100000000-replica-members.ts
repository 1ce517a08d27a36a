import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Membership of sharded replicas (issue #34): each replica's internal address and last heartbeat. */
export class ReplicaMembers1765100000000 implements MigrationInterface {
  name = 'ReplicaMembers1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'replica_member',
        columns: [
          { name: 'id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'address', type: 'varchar', length: '512' },
          { name: 'heartbeat_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('replica_member');
  }
}
