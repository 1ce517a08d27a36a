import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN_TOKEN,
  bearer,
  newEncryptionKey,
  register,
  startServer,
  TestApp,
} from './support/cloudpilot-app';
import { hygienicPodSpec } from './support/hygienic-pod';
import { parseSse, SseMessage } from './support/sse-schema';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';
import { startPostgres } from '../support/postgres-server';

jest.setTimeout(180_000);

interface FindingJson {
  id: string;
  code: string;
  object: { kind: string; namespace: string; name: string };
  silenced?: Record<string, string>;
}

let dir: string;
let key: string;
let app: TestApp;
let ns: string;
let operator: string;
let viewer: string;
const CLUSTER = 'sil';

const start = () =>
  startServer({
    DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}`,
    CLOUDPILOT_ENCRYPTION_KEY: key,
  });

const pod = (name: string, fault: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: ns,
    labels: { team: 'payments', 'cloudpilot.dev/fault': fault },
    annotations,
  },
  spec: hygienicPodSpec(),
});

/** A Deployment annotated on its own metadata (not its pod template): its pods' finding is its. */
const annotatedDeployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'nightly',
    namespace: ns,
    annotations: { 'cloudpilot.dev/ignore': 'POD_CRASH_LOOP,DEPLOYMENT_UNAVAILABLE' },
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'nightly' } },
    template: {
      metadata: { labels: { app: 'nightly', 'cloudpilot.dev/fault': 'CrashLoopBackOff' } },
      spec: pod('unused', 'CrashLoopBackOff').spec,
    },
  },
});

async function token(name: string, role: string): Promise<string> {
  const res = await app
    .http()
    .post('/api/v1/auth/tokens')
    .set(bearer(ADMIN_TOKEN))
    .send({ name, role });
  return res.body.data.token;
}

async function get(path: string, as = ADMIN_TOKEN): Promise<Record<string, any>> {
  const res = await app.http().get(path).set(bearer(as));
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

const base = () => `/api/v1/clusters/${CLUSTER}/diagnostics`;

async function findings(silenced = false): Promise<FindingJson[]> {
  const page = await get(`${base()}?namespace=${ns}&limit=500${silenced ? '&silenced=true' : ''}`);
  return page.items;
}

const names = (list: FindingJson[]) => list.map((f) => `${f.code} ${f.object.name}`).sort();

async function namespaceHealth(): Promise<{ score: number; silenced: number }> {
  const health = await get(`/api/v1/clusters/${CLUSTER}/health`);
  const mine = health.namespaces.find((n: { namespace: string }) => n.namespace === ns);
  return { score: mine.score, silenced: health.silenced };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(`not reached within ${ms} ms: ${JSON.stringify(last).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

const silence = (body: Record<string, unknown>, as = operator) =>
  app.http().post(`${base()}/silences`).set(bearer(as)).send(body);

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

/** Follows the findings stream, collecting events, until stopped. */
function follow(query = ''): { messages: SseMessage[]; stop: () => void } {
  const messages: SseMessage[] = [];
  const gone = new AbortController();
  const port = ((app.app.getHttpServer() as Server).address() as { port: number }).port;
  void (async () => {
    const res = await fetch(`http://127.0.0.1:${port}${base()}/stream${query}`, {
      headers: bearer(ADMIN_TOKEN),
      signal: gone.signal,
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const parsed = parseSse(text + value);
      text = parsed.rest;
      messages.push(...parsed.messages);
    }
  })().catch(() => undefined);
  return { messages, stop: () => gone.abort() };
}

/** This suite's events about one pod: other suites on the shared cluster name their pods alike. */
const eventsAbout = (messages: SseMessage[], name: string) =>
  messages
    .filter((m) => {
      const object = m.event && m.data ? JSON.parse(m.data).object : undefined;
      return object?.name === name && object?.namespace === ns;
    })
    .map((m) => `${m.event} ${JSON.parse(m.data ?? '{}').silenced ? 'silenced' : 'shown'}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cloudpilot-silences-'));
  key = newEncryptionKey();
  app = await start();
  await app.app.listen(0, '127.0.0.1');
  await register(app, CLUSTER);
  operator = await token('sil-operator', 'operator');
  viewer = await token('sil-viewer', 'viewer');
  ns = createNamespace('sil');
  for (const object of [
    pod('crasher', 'CrashLoopBackOff'),
    pod('puller', 'ImagePullBackOff'),
    pod('accepted', 'CrashLoopBackOff', {
      'cloudpilot.dev/ignore': 'POD_OOM_KILLED, POD_CRASH_LOOP',
    }),
    annotatedDeployment(),
  ])
    kubectlOk('admin', ['apply', '-f', '-'], { input: JSON.stringify(object) });
  await until(
    () => findings(true),
    (list) => list.length === 5,
    60_000,
  );
}, 120_000);

afterAll(async () => {
  deleteNamespace(ns);
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('an object annotated cloudpilot.dev/ignore has its finding computed, marked and costing nothing', async () => {
  expect(names(await findings())).toEqual(['POD_CRASH_LOOP crasher', 'POD_IMAGE_PULL puller']);
  const all = await findings(true);
  expect(all.find((f) => f.object.name === 'accepted')).toMatchObject({
    code: 'POD_CRASH_LOOP',
    silenced: {
      by: 'annotation',
      annotation: 'cloudpilot.dev/ignore',
      object: `Pod ${ns}/accepted`,
    },
  });
  const nightly = all.filter((f) => f.object.name === 'nightly');
  expect(nightly.map((f) => [f.code, f.object.kind, f.silenced?.object]).sort()).toEqual([
    ['DEPLOYMENT_UNAVAILABLE', 'Deployment', `Deployment ${ns}/nightly`],
    ['POD_CRASH_LOOP', 'Deployment', `Deployment ${ns}/nightly`],
  ]);
  await expect(namespaceHealth()).resolves.toMatchObject({ score: 70 });
});

it('the MCP tool leaves silenced findings out unless asked, and marks them', async () => {
  const port = ((app.app.getHttpServer() as Server).address() as { port: number }).port;
  const client = new Client({ name: 'silences-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
      requestInit: { headers: bearer(viewer) },
    }),
  );
  const call = async (args: Record<string, unknown>): Promise<FindingJson[]> => {
    const result = await client.callTool({
      name: 'diagnostics_findings',
      arguments: { clusterId: CLUSTER, namespace: ns, ...args },
    });
    const text = (result.content as Array<{ text: string }>).map((c) => c.text).join('');
    return JSON.parse(text).items;
  };
  try {
    expect(names(await call({}))).toEqual(['POD_CRASH_LOOP crasher', 'POD_IMAGE_PULL puller']);
    const all = await call({ silenced: true });
    expect(all.find((f) => f.object.name === 'accepted')?.silenced).toMatchObject({
      by: 'annotation',
    });
  } finally {
    await client.close();
  }
});

it('refuses a viewer, and bad matchers with VALIDATION_FAILED naming the field', async () => {
  const valid = { matchers: { code: 'POD_CRASH_LOOP' }, expiresAt: inSeconds(60), comment: 'x' };
  await expect(silence(valid, viewer)).resolves.toMatchObject({
    status: 403,
    body: { code: 'FORBIDDEN' },
  });
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...valid, matchers: { name: 'web-(' } }, /name is not a valid regular expression/],
    [{ ...valid, matchers: { name: '(a+)+' } }, /repeat a group/],
    [{ ...valid, matchers: { code: 'pod-crash' } }, /UPPER_SNAKE/],
    [{ ...valid, matchers: {} }, /at least one of/],
    [{ ...valid, matchers: { code: null, name: null } }, /at least one of/],
    [{ ...valid, matchers: { labels: { 'bad key!': 'x' } } }, /labels/],
    [{ ...valid, expiresAt: inSeconds(-60) }, /expiresAt must be in the future/],
    [{ ...valid, expiresAt: 'tomorrow' }, /expiresAt must be an ISO-8601 time/],
    [{ ...valid, comment: '' }, /comment/],
    [{ ...valid, durationSeconds: 60 }, /not both/],
    [{ ...valid, expiresAt: undefined }, /expiresAt/],
    [{ ...valid, expiresAt: undefined, durationSeconds: 366 * 24 * 3600 + 1 }, /durationSeconds/],
  ];
  for (const [body, message] of bad) {
    const res = await silence(body);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(res.body.details)).toMatch(message);
  }
  await expect(get(`${base()}/silences?state=all`, viewer)).resolves.toMatchObject({ total: 0 });
});

it('a silenced finding is hidden and costs nothing until the silence expires, then reappears on its own', async () => {
  const stream = follow();
  const withSilenced = follow('?silenced=true');
  try {
    await new Promise((r) => setTimeout(r, 500));
    const res = await silence({
      matchers: {
        code: 'POD_CRASH_LOOP',
        namespace: ns,
        kind: 'pod',
        name: 'crash.*',
        labels: { team: 'payments' },
      },
      expiresAt: inSeconds(6),
      comment: 'known: fixed in the next release',
    });
    expect(res.status).toBe(201);
    const created = res.body.data;
    expect(created).toMatchObject({ author: 'sil-operator', active: true });

    expect(names(await findings())).toEqual(['POD_IMAGE_PULL puller']);
    const marked = (await findings(true)).find((f) => f.object.name === 'crasher');
    expect(marked?.silenced).toMatchObject({
      by: 'silence',
      silenceId: created.id,
      author: 'sil-operator',
      comment: 'known: fixed in the next release',
    });
    await expect(namespaceHealth()).resolves.toMatchObject({ score: 85 });
    const audit = await get('/api/v1/audit?actor=sil-operator');
    expect(JSON.stringify(audit)).toContain(`silence=${created.id}`);

    // No change in the cluster: the expiry alone brings it back.
    await until(
      () => findings(),
      (list) => list.length === 2,
      10_000,
    );
    await expect(namespaceHealth()).resolves.toMatchObject({ score: 70 });
    await until(
      async () => eventsAbout(stream.messages, 'crasher'),
      (e) => e.length >= 2,
      5_000,
    );
    expect(eventsAbout(stream.messages, 'crasher')).toEqual(['resolved silenced', 'opened shown']);
    expect(eventsAbout(withSilenced.messages, 'crasher')).toEqual([
      'updated silenced',
      'updated shown',
    ]);
    await expect(get(`${base()}/silences`)).resolves.toMatchObject({ total: 0 });
    await expect(get(`${base()}/silences?state=expired`)).resolves.toMatchObject({
      items: [{ id: created.id, active: false }],
    });
  } finally {
    stream.stop();
    withSilenced.stop();
  }
});

it('a silence survives a restart (a new app on the same database), and can be expired and deleted', async () => {
  const res = await silence({
    matchers: { code: 'POD_IMAGE_PULL' },
    expiresAt: inSeconds(3600),
    comment: 'registry migration',
  });
  expect(res.status).toBe(201);
  const id = res.body.data.id;
  await app.close();
  app = await start();
  await app.app.listen(0, '127.0.0.1');

  await expect(get(`${base()}/silences`)).resolves.toMatchObject({ items: [{ id, active: true }] });
  expect(names(await findings())).toEqual(['POD_CRASH_LOOP crasher']);
  expect((await findings(true)).find((f) => f.object.name === 'puller')?.silenced).toMatchObject({
    silenceId: id,
  });
  await expect(namespaceHealth()).resolves.toMatchObject({ score: 85 });

  const expired = await app.http().post(`${base()}/silences/${id}/expire`).set(bearer(operator));
  expect([expired.status, expired.body.data.active]).toEqual([200, false]);
  expect(names(await findings())).toEqual(['POD_CRASH_LOOP crasher', 'POD_IMAGE_PULL puller']);

  const removed = await app.http().delete(`${base()}/silences/${id}`).set(bearer(operator));
  expect(removed.status).toBe(200);
  const again = await app.http().delete(`${base()}/silences/${id}`).set(bearer(operator));
  expect([again.status, again.body.code]).toEqual([404, 'SILENCE_NOT_FOUND']);

  // A duration instead of an instant: the stored silence ends that long after it was made.
  const before = Date.now();
  const timed = await silence({
    matchers: { code: 'NO_SUCH_FINDING' },
    durationSeconds: 120,
    comment: 'for two minutes',
  });
  expect(timed.status).toBe(201);
  const ends = Date.parse(timed.body.data.expiresAt);
  expect(ends).toBeGreaterThanOrEqual(before + 120_000 - 1000);
  expect(ends).toBeLessThanOrEqual(Date.now() + 120_000);
});

it('an annotation removed from the object brings its finding back at the next evaluation', async () => {
  kubectlOk('admin', ['annotate', 'pod', '-n', ns, 'accepted', 'cloudpilot.dev/ignore-']);
  await until(
    () => findings(),
    (list) => names(list).includes('POD_CRASH_LOOP accepted'),
    5_000,
  );
  await expect(namespaceHealth()).resolves.toMatchObject({ score: 55 });
});

it('two replicas on one PostgreSQL apply the silence one of them stores, and its end', async () => {
  const pg = await startPostgres();
  const env = {
    DATABASE_URL: pg.url,
    CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey(),
    CLOUDPILOT_LEADER_RETRY_SECONDS: '1',
  };
  const r1 = await startServer(env);
  const r2 = await startServer(env);
  try {
    await register(r1, CLUSTER);
    const findingsOn = async (r: TestApp): Promise<string[]> => {
      const res = await r.http().get(`${base()}?namespace=${ns}`).set(bearer(ADMIN_TOKEN));
      return res.status === 200 ? names(res.body.data.items) : [`${res.status}`];
    };
    await until(
      () => findingsOn(r2),
      (l) => l.includes('POD_CRASH_LOOP crasher'),
      30_000,
    );

    const created = await r1
      .http()
      .post(`${base()}/silences`)
      .set(bearer(ADMIN_TOKEN))
      .send({ matchers: { name: 'crasher' }, expiresAt: inSeconds(600), comment: 'on r1' });
    expect(created.status).toBe(201);
    await until(
      () => findingsOn(r2),
      (l) => !l.includes('POD_CRASH_LOOP crasher'),
      3_000,
    );

    const expired = await r2
      .http()
      .post(`${base()}/silences/${created.body.data.id}/expire`)
      .set(bearer(ADMIN_TOKEN));
    expect(expired.status).toBe(200);
    await until(
      () => findingsOn(r1),
      (l) => l.includes('POD_CRASH_LOOP crasher'),
      3_000,
    );
  } finally {
    await r1.close();
    await r2.close();
    await pg.stop();
  }
});
