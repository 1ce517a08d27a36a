export class ShardMemberDto {
  /** The replica's id (its pod name and a random suffix). */
  id: string;
  /** Its internal URL, where the other replicas forward to it. */
  address: string;
  /** When it last beat, by the database's clock. */
  heartbeatAt: string;
  /** Clusters it owns first (its history, its answers to forwarded fleet questions). */
  primary: number;
  /** Clusters it watches, first or second owner. */
  owned: number;
}

export class ShardOwnersDto {
  cluster: { id: string; name: string };
  /** The replicas that watch it, its first owner first. */
  owners: string[];
}

export class ShardMapResponseDto {
  /** sharding.enabled. */
  enabled: boolean;
  /** True while the clusters are shared out (enabled, membership read, at least sharding.minClusters). */
  sharded: boolean;
  replicationFactor: number;
  /** The replica that answered. */
  replicaId: string;
  /** The live members, by id. */
  members: ShardMemberDto[];
  /** Ids of the clusters whose cache runs on the replica that answered. */
  watching: string[];
  /** Watches those caches hold open (kinds watched and synced): what the API servers carry for this replica. */
  watches: number;
  /** Every cluster with its owners. */
  items: ShardOwnersDto[];
}
