import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { startPostgres, PostgresServer } from '../support/postgres-server';
import { ADMIN_TOKEN, kubeconfigText, newEncryptionKey } from './support/cloudpilot-app';
import { ReplicaProcess, startReplica } from './support/replica-process';
import { kubectl, kubectlOk } from './support/test-cluster';

// Three processes, 60 clusters watched twice each, a kill -9 and its aftermath.
jest.setTimeout(900_000);

const CLUSTERS = 60;
const TICK_SECONDS = 5;
const MEMBER_TIMEOUT_SECONDS = 10;
const SERVED_BY = 'x-cloudpilot-replica';
// One headless Service selecting no pod: a SERVICE_NO_MATCHING_PODS finding in each registration.
const NAMESPACE = 'cp-shard-notify';
const GHOST = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'cp-shard-ghost', namespace: NAMESPACE },
  spec: { clusterIP: 'None', selector: { app: 'cp-shard-ghost' }, ports: [{ port: 80 }] },
};

interface Answer {
  status: number;
  body: any;
  servedBy: string | null;
  ms: number;
}

async function call(
  r: ReplicaProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` },
): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(`${r.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    servedBy: res.headers.get(SERVED_BY),
    ms: Date.now() - started,
  };
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
    await new Promise((r) => setTimeout(r, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const handedOut = new Set<number>();

/** A free port not handed out before: six listeners start side by side, none may share one. */
async function newPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

interface ShardMap {
  sharded: boolean;
  replicaId: string;
  members: { id: string; address: string; primary: number; owned: number }[];
  watching: string[];
  watches: number;
  items: { cluster: { id: string; name: string }; owners: string[] }[];
}

const shardMap = async (r: ReplicaProcess): Promise<ShardMap> =>
  (await call(r, 'GET', '/api/v1/system/shards')).body.data;

const monitoredGauge = async (r: ReplicaProcess): Promise<number> => {
  const text = await fetch(`${r.baseUrl}/metrics`).then((m) => m.text());
  const line = /^cloudpilot_monitored_clusters\{[^}]*\} (\d+)$/m.exec(text);
  return Number(line?.[1] ?? NaN);
};

const sorted = (ids: Iterable<string>) => [...ids].sort();

/**
 * Each replica's caches are exactly the clusters the map gives it, in the map and in /metrics, and
 * its open watches are those caches' watches: the same number for every cache (60 registrations
 * of one cluster), so a replica holding a cluster it does not own would show in the count.
 */
async function watchingExactlyOwned(
  alive: ReplicaProcess[],
): Promise<Map<string, ShardMap> | undefined> {
  const maps = await Promise.all(alive.map(shardMap));
  const byId = new Map(maps.map((m) => [m.replicaId, m]));
  for (const map of maps) {
    if (!map.sharded || map.members.length !== alive.length || map.items.length !== CLUSTERS)
      return undefined;
    const owned = map.items
      .filter((i) => i.owners.includes(map.replicaId))
      .map((i) => i.cluster.id);
    if (sorted(map.watching).join() !== sorted(owned).join()) return undefined;
  }
  const perCache = new Set(maps.map((m) => m.watches / m.watching.length));
  if (perCache.size !== 1 || !([...perCache][0] > 0)) return undefined;
  const gauges = await Promise.all(alive.map(monitoredGauge));
  return gauges.every((g, i) => g === maps[i].watching.length) ? byId : undefined;
}

describe('sharding: three replicas on one PostgreSQL, 60 registrations of the test cluster', () => {
  let pg: PostgresServer;
  let db: Client;
  const replicas: ReplicaProcess[] = [];
  const clusterIds: string[] = [];

  beforeAll(async () => {
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true']);
    kubectlOk('admin', ['create', 'namespace', NAMESPACE]);
    kubectlOk('admin', ['create', '-f', '-'], { input: JSON.stringify(GHOST) });
    pg = await startPostgres();
    const env = {
      DATABASE_URL: pg.url,
      CLOUDPILOT_ADMIN_TOKEN: ADMIN_TOKEN,
      CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey(),
      CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
      CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS: String(TICK_SECONDS),
      CLOUDPILOT_LEADER_RETRY_SECONDS: '1',
      CLOUDPILOT_SHARDING: 'true',
      CLOUDPILOT_SHARDING_SECRET: randomBytes(32).toString('hex'),
      CLOUDPILOT_SHARDING_REPLICATION_FACTOR: '2',
      CLOUDPILOT_SHARDING_MEMBER_TIMEOUT_SECONDS: String(MEMBER_TIMEOUT_SECONDS),
      CLOUDPILOT_NOTIFICATIONS_SCAN_SECONDS: '2',
    };
    const envOf = async () => {
      const port = await newPort();
      return {
        ...env,
        CLOUDPILOT_SHARDING_INTERNAL_PORT: String(port),
        CLOUDPILOT_SHARDING_INTERNAL_ADDRESS: `http://127.0.0.1:${port}`,
      };
    };
    // The first replica runs the migrations alone; the other two then start side by side.
    const start = async (name: string) =>
      startReplica(name, await envOf(), undefined, await newPort());
    replicas.push(await start('r1'));
    const started = await Promise.allSettled([start('r2'), start('r3')]);
    // One that started is stopped by afterAll even when the other did not.
    for (const s of started) if (s.status === 'fulfilled') replicas.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    // A replica that dies on its own says why (its log lives only in this process).
    for (const r of replicas)
      r.child.once('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM')
          process.stderr.write(`${r.name} exited (${code}): ${r.logs().slice(-6000)}\n`);
      });
    db = new Client({ connectionString: pg.url });
    await db.connect();
    const kubeconfig = kubeconfigText('admin');
    // Six at a time, spread over the replicas: each registration starts a cache on its two owners.
    for (let batch = 0; batch < CLUSTERS; batch += 6) {
      const ids = await Promise.all(
        Array.from({ length: Math.min(6, CLUSTERS - batch) }, async (_, k) => {
          const i = batch + k;
          const res = await call(replicas[i % 3], 'POST', '/api/v1/clusters?skipTest=true', {
            name: `shard-${String(i).padStart(2, '0')}`,
            kubeconfig,
          });
          expect(res.status).toBe(201);
          return res.body.data.id as string;
        }),
      );
      clusterIds.push(...ids);
    }
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all(replicas.map((r) => r.stop()));
    await pg?.stop();
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
  });

  it('shows one shard map on every replica: 3 members, 2 owners per cluster, about a third first-owned by each', async () => {
    const maps = await until('every replica sees 3 members and 60 clusters', 30_000, async () => {
      const found = await Promise.all(replicas.map(shardMap));
      return found.every((m) => m.sharded && m.members.length === 3 && m.items.length === CLUSTERS)
        ? found
        : undefined;
    });
    const owners = maps.map((m) => JSON.stringify(m.items.map((i) => [i.cluster.id, i.owners])));
    expect(new Set(owners).size).toBe(1);
    for (const item of maps[0].items) expect(new Set(item.owners).size).toBe(2);
    expect(maps[0].members.reduce((n, m) => n + m.owned, 0)).toBe(2 * CLUSTERS);
    for (const m of maps[0].members) expect(m.primary).toBeGreaterThan(5);
    expect(sorted(maps[0].items.map((i) => i.cluster.id))).toEqual(sorted(clusterIds));
  });

  it('watches each cluster on exactly its two owners: caches per replica in the map and in /metrics', async () => {
    const started = Date.now();
    const maps = await until('caches = owned clusters on every replica', 60_000, () =>
      watchingExactlyOwned(replicas),
    );
    const counts = [...maps.values()].map((m) => m.watching.length);
    const watches = [...maps.values()].map((m) => m.watches);
    process.stderr.write(
      `caches per replica ${counts.join(', ')}, open watches ${watches.join(', ')} (settled after ${Date.now() - started} ms)\n`,
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2 * CLUSTERS);
    // Every replica's watches are its caches' (the same per cache), so in all twice the fleet's.
    const perCache = watches[0] / counts[0];
    expect(watches.reduce((a, b) => a + b, 0)).toBe(2 * CLUSTERS * perCache);
    // Every cluster is watched, on two replicas, never on a third.
    const watchers = new Map<string, number>();
    for (const m of maps.values())
      for (const id of m.watching) watchers.set(id, (watchers.get(id) ?? 0) + 1);
    expect(sorted(watchers.keys())).toEqual(sorted(clusterIds));
    expect(new Set(watchers.values())).toEqual(new Set([2]));
  });

  it('answers every cluster on every replica, from an owner, keeping the request id', async () => {
    const map = await shardMap(replicas[0]);
    const ownersOf = new Map(map.items.map((i) => [i.cluster.id, i.owners]));
    const idOf = new Map(
      await Promise.all(replicas.map(async (r) => [r, (await shardMap(r)).replicaId] as const)),
    );
    let forwarded = 0;
    const times: number[] = [];
    for (const r of replicas) {
      const answers = await Promise.all(
        clusterIds.map(async (id, i) => {
          const requestId = `shard-${r.name}-${i}`;
          const got = await until(`${r.name} answers ${id}`, 30_000, async () => {
            const a = await call(r, 'GET', `/api/v1/clusters/${id}/overview`, undefined, {
              Authorization: `Bearer ${ADMIN_TOKEN}`,
              'X-Request-Id': requestId,
            });
            return a.status === 200 && a.body.data.nodes.total > 0 ? a : undefined;
          });
          return { id, requestId, got };
        }),
      );
      for (const { id, requestId, got } of answers) {
        expect(got.body.requestId).toBe(requestId);
        expect(ownersOf.get(id)).toContain(got.servedBy);
        if (got.servedBy !== idOf.get(r)) forwarded++;
        times.push(got.ms);
      }
    }
    times.sort((a, b) => a - b);
    process.stderr.write(
      `180 cluster reads: ${forwarded} forwarded; p50 ${times[90]} ms, max ${times[179]} ms\n`,
    );
    // Each replica owns 2/3 of the clusters: about 60 of the 180 reads crossed to an owner.
    expect(forwarded).toBeGreaterThan(20);
  });

  it('refuses an unauthenticated read before forwarding it, and an unsigned request on the internal port', async () => {
    const map = await shardMap(replicas[0]);
    const notMine = map.items.find((i) => !i.owners.includes(map.replicaId))!;
    const anonymous = await call(
      replicas[0],
      'GET',
      `/api/v1/clusters/${notMine.cluster.id}/overview`,
      undefined,
      {},
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.servedBy).toBe(map.replicaId);
    const internal = map.members.find((m) => m.id === notMine.owners[0])!.address;
    const unsigned = await fetch(`${internal}/api/v1/clusters/${notMine.cluster.id}/overview`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
  });

  it("enforces the caller's grants on the owner of a forwarded read", async () => {
    const map = await shardMap(replicas[0]);
    const notMine = map.items.filter((i) => !i.owners.includes(map.replicaId));
    const [allowed, denied] = notMine;
    const token = await call(replicas[0], 'POST', '/api/v1/auth/tokens', {
      name: 'one-cluster',
      role: 'viewer',
      grants: [{ role: 'viewer', clusters: [allowed.cluster.id] }],
    });
    expect(token.status).toBe(201);
    const auth = { Authorization: `Bearer ${token.body.data.token}` };
    const ok = await call(
      replicas[0],
      'GET',
      `/api/v1/clusters/${allowed.cluster.id}/overview`,
      undefined,
      auth,
    );
    expect([ok.status, allowed.owners.includes(ok.servedBy!)]).toEqual([200, true]);
    const refused = await call(
      replicas[0],
      'GET',
      `/api/v1/clusters/${denied.cluster.id}/overview`,
      undefined,
      auth,
    );
    expect([refused.status, denied.owners.includes(refused.servedBy!)]).toEqual([404, true]);
    const fleet = await call(replicas[0], 'GET', '/api/v1/overview', undefined, auth);
    expect(fleet.body.data.items.map((e: any) => e.cluster.id)).toEqual([allowed.cluster.id]);
  });

  it('answers the fleet overview and fleet diagnostics complete from every replica', async () => {
    for (const r of replicas) {
      const overview = await until(
        `${r.name}: fleet overview with every cluster's data`,
        60_000,
        async () => {
          const a = await call(r, 'GET', '/api/v1/overview');
          const items = a.body.data.items as any[];
          return items.length === CLUSTERS && items.every((e) => e.data) ? a : undefined;
        },
      );
      expect(sorted(overview.body.data.items.map((e: any) => e.cluster.id))).toEqual(
        sorted(clusterIds),
      );
      process.stderr.write(
        `${r.name} fleet overview of ${CLUSTERS} clusters in ${overview.ms} ms\n`,
      );
      const diagnostics = await until(
        `${r.name}: fleet diagnostics of every cluster`,
        90_000,
        async () => {
          const a = await call(r, 'GET', '/api/v1/diagnostics');
          const items = a.body.data.items as any[];
          return items.length === CLUSTERS && items.every((e) => e.data) ? a : undefined;
        },
      );
      expect(diagnostics.body.data.items).toHaveLength(CLUSTERS);
    }
  });

  it('samples history on the owners: every cluster has one row per tick, not only the leader’s', async () => {
    const perCluster = async () =>
      (
        await db.query<{ cluster_id: string }>(
          "SELECT DISTINCT cluster_id FROM history_sample WHERE scope = 'cluster'",
        )
      ).rows.map((r) => r.cluster_id);
    await until('a history row of every cluster', 6 * TICK_SECONDS * 1000, async () =>
      (await perCluster()).length === CLUSTERS ? true : undefined,
    );
    const duplicates = await db.query(
      "SELECT cluster_id, slot FROM history_sample WHERE scope = 'cluster' GROUP BY cluster_id, slot HAVING COUNT(*) > 1",
    );
    expect(duplicates.rows).toEqual([]);
    const ran = /^cloudpilot_job_duration_seconds_count\{job="history",outcome="ok"\} [1-9]/m;
    const texts = await Promise.all(
      replicas.map((r) => fetch(`${r.baseUrl}/metrics`).then((m) => m.text())),
    );
    expect(texts.filter((t) => ran.test(t))).toHaveLength(3);
  });

  it('records the notifications of every cluster on its first owner, each finding change once', async () => {
    // The ghost Service's finding, opened once in each of the 60 registrations, whoever owns it.
    const ghostEvents = async () =>
      (
        await db.query<{ cluster_id: string; type: string; n: string }>(
          `SELECT cluster_id, type, COUNT(*) AS n FROM notification_event
           WHERE payload LIKE '%cp-shard-ghost%' GROUP BY cluster_id, type`,
        )
      ).rows;
    const rows = await until('the ghost finding notified in every cluster', 60_000, async () => {
      const found = await ghostEvents();
      return new Set(found.map((r) => r.cluster_id)).size === CLUSTERS ? found : undefined;
    });
    expect(sorted(rows.map((r) => r.cluster_id))).toEqual(sorted(clusterIds));
    expect(rows.map((r) => [r.type, Number(r.n)])).toEqual(
      clusterIds.map(() => ['finding.opened', 1]),
    );
    // Every finding change (its seq) is one event, in every cluster: none lost, none twice.
    const mismatched = await db.query(
      `SELECT f.cluster_id, f.seqs, e.events FROM
         (SELECT cluster_id, SUM(seq) AS seqs FROM notified_finding GROUP BY cluster_id) f
         LEFT JOIN (SELECT cluster_id, COUNT(*) AS events FROM notification_event
                    WHERE type NOT IN ('proposal.pending', 'finding.reminder')
                    GROUP BY cluster_id) e USING (cluster_id)
       WHERE e.events IS NULL OR e.events <> f.seqs`,
    );
    expect(mismatched.rows).toEqual([]);
  });

  it('answers the clusters of a replica killed with -9 from their second owner within 5 s, with no cold sync', async () => {
    const before = await watchingExactlyOwned(replicas);
    expect(before).toBeDefined();
    const victim = replicas[2];
    const victimId = (await shardMap(victim)).replicaId;
    const survivors = replicas.slice(0, 2);
    const map = before!.get(victimId)!;
    const orphaned = map.items.filter((i) => i.owners.includes(victimId));
    await victim.kill9();
    const killedAt = Date.now();
    // Each of the victim's clusters read at once, half on each survivor, until it has answered.
    const answered = await Promise.all(
      orphaned.map(async (item, i) => {
        const r = survivors[i % 2];
        let last: Answer | undefined;
        const got = await until(`${r.name} answers ${item.cluster.name}`, 15_000, async () => {
          last = await call(r, 'GET', `/api/v1/clusters/${item.cluster.id}/overview`);
          return last.status === 200 ? last : undefined;
        }).catch((error: Error) => {
          const seen = last && `${last.status} ${last.body?.code} by ${last.servedBy}`;
          throw new Error(`${error.message}; last answer ${seen} in ${last?.ms} ms`);
        });
        return { item, got, afterMs: Date.now() - killedAt };
      }),
    );
    const worst = Math.max(...answered.map((a) => a.afterMs));
    const single = answered.map((a) => a.got.ms).sort((a, b) => a - b);
    process.stderr.write(
      `kill -9 of ${victimId}: its ${orphaned.length} clusters answered by the survivors within ${worst} ms (answering read p50 ${single[single.length >> 1]} ms, max ${single[single.length - 1]} ms)\n`,
    );
    expect(worst).toBeLessThan(5000);
    for (const { item, got } of answered) {
      const next = item.owners.find((o) => o !== victimId)!;
      expect(got.servedBy).toBe(next);
      // The next owner watched it before the kill: its cache was warm, no cold sync needed.
      expect(before!.get(next)!.watching).toContain(item.cluster.id);
    }
    // Once the heartbeat has expired, the two survivors own everything (factor 2 of 2 members).
    const after = await until('the survivors own every cluster', 60_000, () =>
      watchingExactlyOwned(survivors),
    );
    for (const m of after.values()) expect(m.watching).toHaveLength(CLUSTERS);
    const survivor = before!.get([...before!.keys()].find((id) => id !== victimId)!)!;
    const watchesPerCache = survivor.watches / survivor.watching.length;
    for (const m of after.values()) expect(m.watches).toBe(CLUSTERS * watchesPerCache);
    const overview = await call(survivors[0], 'GET', '/api/v1/overview');
    expect(overview.body.data.items.filter((e: any) => e.data)).toHaveLength(CLUSTERS);
  });
});
