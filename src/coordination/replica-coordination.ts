/** What /readyz and /metrics say about this replica's part in the group. */
export interface LeadershipStatus {
  /** postgres: advisory lock; sole: this replica is the only one (SQLite) and always leads. */
  method: 'postgres' | 'sole';
  replicaId: string;
  leader: boolean;
  /** When this replica last became leader, or null. */
  since: string | null;
}

export type BusHandler = (payload: string) => void;

/**
 * How replicas of server mode work together: a bus that carries events to every other replica,
 * and the election of one leader for singleton work (history sampling, retention, any periodic
 * job). With PostgreSQL it is LISTEN/NOTIFY and an advisory lock; with SQLite there is one replica,
 * which hears only itself and always leads.
 */
export abstract class ReplicaCoordination {
  abstract readonly replicaId: string;
  /** Delivers the payload to the other replicas' subscribers (not this replica's: it knows). */
  abstract publish(channel: string, payload: string): Promise<void>;
  abstract subscribe(channel: string, handler: BusHandler): () => void;
  abstract isLeader(): boolean;
  abstract status(): LeadershipStatus;
}
