import { Client } from 'pg';
import { PostgresCoordination } from '../../src/coordination/postgres.coordination';
import { startPostgres, PostgresServer } from '../support/postgres-server';

// A throwaway PostgreSQL starts in seconds, more on a machine shared by six engineers.
jest.setTimeout(60_000);

const RETRY_MS = 200;

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

describe('PostgresCoordination on a real PostgreSQL', () => {
  let pg: PostgresServer;
  const started: PostgresCoordination[] = [];

  async function replica(id: string): Promise<PostgresCoordination> {
    const c = new PostgresCoordination(pg.url, id, RETRY_MS);
    started.push(c);
    await c.onModuleInit();
    return c;
  }

  beforeAll(async () => (pg = await startPostgres()));
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.onApplicationShutdown()));
  });
  afterAll(() => pg?.stop());

  it('elects exactly one leader, and a follower takes over when the leader closes', async () => {
    const a = await replica('a');
    const b = await replica('b');
    await until('a leader', () => a.isLeader() || b.isLeader());
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
    await leader.onApplicationShutdown();
    const takeoverMs = await until('the follower to lead', () => follower.isLeader());
    expect(takeoverMs).toBeLessThan(3 * RETRY_MS + 500);
    expect(follower.status()).toMatchObject({ method: 'postgres', leader: true });
  });

  it('steps down when its session is killed by the server, and leads again after reconnecting', async () => {
    const a = await replica('solo');
    await until('a to lead', () => a.isLeader());
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    try {
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cloudpilot-solo'",
      );
    } finally {
      await admin.end();
    }
    await until('a to step down', () => !a.isLeader());
    await until('a to lead again', () => a.isLeader());
  });

  it('delivers a published payload to the other replicas, not back to the publisher', async () => {
    const a = await replica('pub');
    const b = await replica('sub1');
    const c = await replica('sub2');
    const heard: string[] = [];
    a.subscribe('cloudpilot_test', (p) => heard.push(`a:${p}`));
    b.subscribe('cloudpilot_test', (p) => heard.push(`b:${p}`));
    c.subscribe('cloudpilot_test', (p) => heard.push(`c:${p}`));
    // A channel subscribed after connecting is LISTENed on the open session.
    await new Promise((r) => setTimeout(r, 200));
    await a.publish('cloudpilot_test', 'hello');
    await until('b and c to hear', () => heard.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard.sort()).toEqual(['b:hello', 'c:hello']);
  });
});
