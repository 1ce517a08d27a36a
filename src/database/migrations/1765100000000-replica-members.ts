import { col, CreateTablesMigration, table } from './migration-kit';

const replicaMember = table('replica_member', [
  col.varchar('id', 128, 'primary'),
  col.varchar('address', 512),
  col.bigint('heartbeat_at'),
]);

/** Membership of sharded replicas (issue #34): each replica's internal address and last heartbeat. */
export class ReplicaMembers1765100000000 extends CreateTablesMigration {
  name = 'ReplicaMembers1765100000000';
  protected tables = [replicaMember];
}
