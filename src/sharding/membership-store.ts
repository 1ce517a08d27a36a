import { PostgresSession } from '../database/postgres-session';
import type { Member } from './member-judgement';

// The database's clock, in epoch ms: heartbeats are written and judged by one clock.
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
/** Rows of replicas gone this long are deleted (kill -9 leaves its row behind). */
const FORGET_AFTER_MS = 3_600_000;
const FORGET_EVERY_MS = 60_000;

/**
 * The beat and what it is judged with, in one statement: this replica's new heartbeat (also the
 * database's "now"), every other member's row and the number of registered clusters.
 */
const BEAT_SQL = `WITH beat AS (
    INSERT INTO replica_member (id, address, heartbeat_at) VALUES ($1, $2, ${NOW_MS})
    ON CONFLICT (id) DO UPDATE SET address = EXCLUDED.address, heartbeat_at = EXCLUDED.heartbeat_at
    RETURNING heartbeat_at
  )
  SELECT b.heartbeat_at AS "nowMs", (SELECT count(*) FROM cluster) AS "clusters",
         m.id, m.address, m.heartbeat_at AS "heartbeatAt"
  FROM beat b LEFT JOIN replica_member m ON m.id <> $1`;

interface BeatRow {
  nowMs: string;
  clusters: string;
  id: string | null;
  address: string | null;
  heartbeatAt: string | null;
}

/** What one heartbeat read back: the database's clock, the other members' rows, the cluster count. */
export interface BeatReading {
  nowMs: number;
  clusters: number;
  others: Member[];
}

/** Where the members' heartbeats are kept (the `replica_member` table). */
export abstract class MembershipStore {
  /** Stamps this replica's heartbeat and reads what it is judged with; throws when it cannot. */
  abstract beat(id: string, address: string): Promise<BeatReading>;
  /** Deletes this replica's row (a graceful leave) and lets go of the store. */
  abstract leave(id: string): Promise<void>;
}

/**
 * The membership table on its own PostgreSQL session, as the leader lock has: queued behind the
 * shared pool's queries on a busy replica, beats came late and live members were judged dead.
 */
export class PostgresMembershipStore extends MembershipStore {
  private readonly session: PostgresSession;
  private lastForget = 0;

  /** `queryTimeoutMs`: a beat slower than the member timeout has lost the membership anyway. */
  constructor(url: string, replicaId: string, queryTimeoutMs: number) {
    super();
    // A lost session needs no handler: the next beat fails, is logged, and connects again.
    const handlers = { onNotification: () => undefined, onLost: () => undefined };
    this.session = new PostgresSession(
      url,
      `cloudpilot-${replicaId}-membership`,
      handlers,
      queryTimeoutMs,
    );
  }

  async beat(id: string, address: string): Promise<BeatReading> {
    if (!this.session.connected) await this.session.connect([]);
    const rows = await this.session.query<BeatRow>(BEAT_SQL, [id, address]);
    if (Date.now() - this.lastForget > FORGET_EVERY_MS) await this.forget();
    return {
      nowMs: Number(rows[0].nowMs),
      clusters: Number(rows[0].clusters),
      others: rows.flatMap((r) =>
        r.id === null
          ? []
          : [{ id: r.id, address: r.address ?? '', heartbeatAt: Number(r.heartbeatAt) }],
      ),
    };
  }

  async leave(id: string): Promise<void> {
    try {
      if (!this.session.connected) await this.session.connect([]);
      await this.session.query('DELETE FROM replica_member WHERE id = $1', [id]);
    } catch {
      // The row then expires like a dead replica's.
    } finally {
      await this.session.close();
    }
  }

  /** Deletes the rows of replicas long gone (kill -9 leaves its row behind). */
  private async forget(): Promise<void> {
    this.lastForget = Date.now();
    await this.session.query(
      `DELETE FROM replica_member WHERE heartbeat_at < ${NOW_MS} - $1::bigint`,
      [FORGET_AFTER_MS],
    );
  }
}
