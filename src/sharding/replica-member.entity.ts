import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One live (or lately live) replica of a sharded deployment: where to reach it, when it last beat. */
@Entity('replica_member')
export class ReplicaMember {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  /** The URL of its internal port. */
  @Column({ type: 'varchar', length: 512 })
  address!: string;

  /** Epoch ms of its last heartbeat, by the database's clock: replicas' clocks never compare. */
  @Column({ name: 'heartbeat_at', type: 'bigint' })
  heartbeatAt!: string;
}
