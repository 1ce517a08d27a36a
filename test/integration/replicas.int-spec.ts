import { Client } from 'pg';
import { startPostgres, PostgresServer } from '../support/postgres-server';
import { ADMIN_TOKEN, kubeconfigText, newEncryptionKey } from './support/cloudpilot-app';
import { ReplicaProcess, startReplica } from './support/replica-process';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

// Three processes, a database and several monitor ticks: tens of seconds on a busy machine.
jest.setTimeout(240_000);

const TICK_SECONDS = 5;

async function call(
  r: ReplicaProcess,
  method: string,
  path: string,
  body?: unknown,
  token = ADMIN_TOKEN,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${r.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The leadership details a replica shows in /readyz. */
async function leadership(r: ReplicaProcess): Promise<{ leader: boolean; method: string }> {
  const res = await fetch(`${r.baseUrl}/readyz`);
  const body = (await res.json()) as { info?: Record<string, any> };
  return body.info!.leadership;
}

async function leaders(replicas: ReplicaProcess[]): Promise<ReplicaProcess[]> {
  const states = await Promise.all(replicas.map((r) => leadership(r).catch(() => undefined)));
  return replicas.filter((_, i) => states[i]?.leader === true);
}

describe('three replicas on one PostgreSQL against the real test cluster', () => {
  let pg: PostgresServer;
  let db: Client;
  const replicas: ReplicaProcess[] = [];
  let clusterId: string;

  beforeAll(async () => {
    pg = await startPostgres();
    const env = {
      DATABASE_URL: pg.url,
      CLOUDPILOT_ADMIN_TOKEN: ADMIN_TOKEN,
      CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey(),
      CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
      CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS: String(TICK_SECONDS),
      CLOUDPILOT_LEADER_RETRY_SECONDS: '1',
      LOG_LEVEL: 'debug',
    };
    // The first replica runs the migrations alone; the other two then start side by side.
    replicas.push(await startReplica('r1', env));
    replicas.push(...(await Promise.all([startReplica('r2', env), startReplica('r3', env)])));
    db = new Client({ connectionString: pg.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all(replicas.map((r) => r.stop()));
    await pg?.stop();
  });

  it('serves a cluster registered on replica 1 from replicas 2 and 3 within 2 s', async () => {
    const [r1, r2, r3] = replicas;
    const res = await call(r1, 'POST', '/api/v1/clusters', {
      name: 'shared',
      kubeconfig: kubeconfigText('admin'),
    });
    expect(res.status).toBe(201);
    const registeredAt = Date.now();
    clusterId = res.body.data.id;
    const timings = await Promise.all(
      [r1, r2, r3].map(async (r) => {
        // The event itself, not a tick's reconcile, started the cache on the other replicas.
        if (r !== r1)
          await until(`${r.name} hears of the cluster`, 2000, async () =>
            r.logs().includes(`Cluster ${clusterId} changed on another replica`) ? true : undefined,
          );
        const heardMs = Date.now() - registeredAt;
        await until(`${r.name} serves the overview`, 10_000, async () => {
          const got = await call(r, 'GET', `/api/v1/clusters/${clusterId}/overview`);
          return got.status === 200 && got.body.data.nodes.total > 0 ? true : undefined;
        });
        return { replica: r.name, heardMs, servedMs: Date.now() - registeredAt };
      }),
    );
    // r1, where the cluster was registered, is the baseline: its cache started without the bus.
    process.stderr.write(`cluster registered on r1 reached: ${JSON.stringify(timings)}\n`);
    for (const t of timings.slice(1)) expect(t.servedMs).toBeLessThanOrEqual(2000);
  });

  it('has exactly one leader, shown in /readyz and /metrics', async () => {
    const leading = await until('one leader', 15_000, async () => {
      const found = await leaders(replicas);
      return found.length === 1 ? found : undefined;
    });
    const states = await Promise.all(replicas.map(leadership));
    expect(states.map((s) => s.method)).toEqual(['postgres', 'postgres', 'postgres']);
    const metrics = await Promise.all(
      replicas.map((r) => fetch(`${r.baseUrl}/metrics`).then((m) => m.text())),
    );
    const saying = metrics.filter((m) => /^cloudpilot_leader\{[^}]*\} 1$/m.test(m));
    expect(saying).toHaveLength(1);
    expect(metrics[replicas.indexOf(leading[0])]).toMatch(/^cloudpilot_leader\{[^}]*\} 1$/m);
  });

  it('stores each change of the cluster once, written by the leader alone (docs/changes.md)', async () => {
    const ns = createNamespace('rep-chg');
    try {
      kubectlOk('admin', ['-n', ns, 'create', 'configmap', 'shared', '--from-literal=round=0']);
      for (let round = 1; round <= 5; round++)
        kubectlOk('admin', [
          '-n',
          ns,
          'patch',
          'configmap',
          'shared',
          '--type=merge',
          '-p',
          JSON.stringify({ data: { round: String(round) } }),
        ]);
      const query = `SELECT id, category FROM change_record WHERE cluster_id = $1 AND namespace = $2 AND name = 'shared'`;
      const rows = await until('the five edits stored', 10_000, async () => {
        const found = (await db.query(query, [clusterId, ns])).rows as {
          id: string;
          category: string;
        }[];
        return found.filter((r) => r.category === 'data').length >= 5 ? found : undefined;
      });
      // A moment more: a follower that wrote too would show as extra rows by now.
      await new Promise((r) => setTimeout(r, 1500));
      const all = (await db.query(query, [clusterId, ns])).rows as { category: string }[];
      expect(all.filter((r) => r.category === 'data')).toHaveLength(5);
      expect(all.filter((r) => r.category === 'created')).toHaveLength(1);
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      const metrics = await Promise.all(
        replicas.map((r) => fetch(`${r.baseUrl}/metrics`).then((m) => m.text())),
      );
      const writers = metrics.filter((m) =>
        /^cloudpilot_changes_recorded_total\{[^}]*\} [1-9]/m.test(m),
      );
      expect(writers).toHaveLength(1);
    } finally {
      deleteNamespace(ns);
    }
  });

  it('replaces a leader killed with -9 within 15 s and keeps one history sample per tick', async () => {
    const slots = async (): Promise<number[]> =>
      (
        await db.query<{ slot: number }>(
          "SELECT slot FROM history_sample WHERE cluster_id = $1 AND scope = 'cluster' ORDER BY slot",
          [clusterId],
        )
      ).rows.map((r) => Number(r.slot));
    await until('two samples before the kill', 4 * TICK_SECONDS * 1000, async () =>
      (await slots()).length >= 2 ? true : undefined,
    );
    const [leader] = await leaders(replicas);
    await leader.kill9();
    const killedAt = Date.now();
    const killedSlot = Math.floor(killedAt / (TICK_SECONDS * 1000));
    const survivors = replicas.filter((r) => r !== leader);
    await until('a new leader', 15_000, async () =>
      (await leaders(survivors)).length === 1 ? true : undefined,
    );
    const takeoverMs = Date.now() - killedAt;
    process.stderr.write(`leader ${leader.name} killed; a new leader after ${takeoverMs} ms\n`);
    expect(takeoverMs).toBeLessThan(15_000);
    const after = await until(
      'three ticks sampled after the kill',
      6 * TICK_SECONDS * 1000,
      async () => {
        const all = await slots();
        return all.filter((s) => s > killedSlot).length >= 3 ? all : undefined;
      },
    );
    expect(new Set(after).size).toBe(after.length);
    const gaps = after.slice(1).map((s, i) => s - after[i]);
    process.stderr.write(`slots ${after.join(',')}; killed in slot ${killedSlot}\n`);
    // One tick may fall between the old leader's death and the new one's first sample; never two.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2);
    const perSlot = await db.query<{ n: string }>(
      'SELECT COUNT(*) AS n FROM history_sample WHERE cluster_id = $1 GROUP BY slot, scope, name HAVING COUNT(*) > 1',
      [clusterId],
    );
    expect(perSlot.rows).toEqual([]);
    // What the dead leader stored outlives it, and any replica serves it.
    const history = await call(
      survivors[0],
      'GET',
      `/api/v1/clusters/${clusterId}/history?metric=requestsCpu`,
    );
    expect(history.status).toBe(200);
    const points = history.body.data.points as Array<{
      at: string;
      values: Record<string, number>;
    }>;
    expect(points.length).toBeGreaterThanOrEqual(after.length);
    expect(Date.parse(points[0].at)).toBeLessThan(killedAt);
    expect(points.every((p) => typeof p.values.requestsCpu === 'number')).toBe(true);
  });

  it('runs the leader-only history job on the leader alone, and /metrics says so', async () => {
    const alive = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    const [leader] = await leaders(alive);
    // Each replica keeps time for the job: a follower's ticks are counted skips, never runs.
    const ran = /^cloudpilot_job_duration_seconds_count\{job="history",outcome="ok"\} [1-9]/m;
    const skipped = /^cloudpilot_job_skips_total\{job="history",reason="follower"\} [1-9]/m;
    await until('a history tick on every replica', 3 * TICK_SECONDS * 1000, async () => {
      const texts = await Promise.all(
        alive.map((r) => fetch(`${r.baseUrl}/metrics`).then((m) => m.text())),
      );
      return texts.every((t, i) => (alive[i] === leader ? ran : skipped).test(t))
        ? true
        : undefined;
    });
    const followers = alive.filter((r) => r !== leader);
    expect(followers.length).toBeGreaterThan(0);
    // The survivors' follower never led (the killed replica led before the new leader).
    for (const follower of followers)
      expect(await fetch(`${follower.baseUrl}/metrics`).then((m) => m.text())).not.toMatch(ran);
    const monitorRuns = await fetch(`${leader.baseUrl}/metrics`).then((m) => m.text());
    expect(monitorRuns).toMatch(
      /^cloudpilot_job_duration_seconds_count\{job="monitor",outcome="ok"\} [1-9]/m,
    );
  });

  it('refuses on one replica a token revoked on another, within 2 s', async () => {
    const alive = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    const [a, b] = alive;
    const created = await call(a, 'POST', '/api/v1/auth/tokens', {
      name: 'shared-viewer',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    const { token, id } = created.body.data;
    await expect(call(b, 'GET', '/api/v1/clusters', undefined, token)).resolves.toMatchObject({
      status: 200,
    });
    expect((await call(a, 'DELETE', `/api/v1/auth/tokens/${id}`)).status).toBeLessThan(300);
    const revokedAt = Date.now();
    const refused = await until('the revoked token refused', 2000, async () => {
      const res = await call(b, 'GET', '/api/v1/clusters', undefined, token);
      return res.status === 401 ? res : undefined;
    });
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(2000);
  });

  it('stops the cluster on every replica when it is deleted on one', async () => {
    const alive = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    const [a, b] = alive;
    expect((await call(a, 'DELETE', `/api/v1/clusters/${clusterId}`)).status).toBeLessThan(300);
    await until(`${b.name} hears of the removal`, 2000, async () =>
      b.logs().includes(`Cluster ${clusterId} removed on another replica`) ? true : undefined,
    );
    await expect(call(b, 'GET', `/api/v1/clusters/${clusterId}/overview`)).resolves.toMatchObject({
      status: 404,
    });
  });
});
