import { Client } from 'pg';

export interface PostgresSessionHandlers {
  onNotification: (channel: string, payload: string) => void;
  /** The connection is gone, and with it every session-level advisory lock and LISTEN it held. */
  onLost: (error: Error) => void;
}

/**
 * One dedicated PostgreSQL connection outside TypeORM's pool, for what only a session can hold:
 * session-level advisory locks (released by PostgreSQL when the connection dies, so a replica
 * killed with -9 frees its leadership at once) and LISTEN. A pooled connection would hand the lock
 * to whichever query happened to borrow it.
 * @see https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
export class PostgresSession {
  private client: Client | undefined;

  constructor(
    private readonly url: string,
    private readonly applicationName: string,
    private readonly handlers: PostgresSessionHandlers,
    /** A round trip that takes longer fails and drops the session (0: wait as long as it takes). */
    private readonly queryTimeoutMs = 0,
  ) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Opens the connection and LISTENs on the channels (constant identifiers, never user input). */
  async connect(channels: readonly string[]): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: this.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      ...(this.queryTimeoutMs ? { query_timeout: this.queryTimeoutMs } : {}),
    });
    client.on('notification', (m) => this.handlers.onNotification(m.channel, m.payload ?? ''));
    client.on('error', (error) => this.lose(client, error));
    client.on('end', () => this.lose(client, new Error('the connection ended')));
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  /** LISTENs on one more channel on the open connection. */
  async listen(channel: string): Promise<void> {
    await this.query(`LISTEN "${channel}"`);
  }

  /** True when this session now holds (or already held) the lock. */
  async tryAdvisoryLock(key: string): Promise<boolean> {
    const rows = await this.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::bigint) AS locked',
      [key],
    );
    return rows[0]?.locked === true;
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /** A round trip: a connection that died silently fails here rather than keeping a stale lock. */
  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** One statement on this session; a failure drops the session, to be opened again by connect(). */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = this.client;
    if (!client) throw new Error('the database session is not open');
    try {
      return (await client.query(sql, params)).rows as T[];
    } catch (error) {
      // A failed round trip on a session means its state is unknown: drop it and start over.
      this.lose(client, error as Error);
      throw error;
    }
  }

  private lose(client: Client, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.handlers.onLost(error);
  }
}
