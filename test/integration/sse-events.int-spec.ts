import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, register, startServer, TestApp } from './support/cloudpilot-app';
import { parseSse, SseMessage, StreamContract, streamContract } from './support/sse-schema';
import {
  createNamespace,
  deleteNamespace,
  kubectl,
  kubectlOk,
  serveLogsFromFile,
  untilPodLogShows,
} from './support/test-cluster';

/**
 * The two never-ending Server-Sent Events streams are left out of the contract fuzzer, so their
 * contract is held here: real events from the real cluster, each `data` validated against the
 * per-event schema the live /docs-json states (x-sse-events), each comment line against
 * x-sse-comments. An event whose payload drifts from its DTO, or an undocumented event, fails.
 */

jest.setTimeout(120_000);

let t: TestApp;
let port: number;
let document: any;
let ns: string;
let dir: string;

beforeAll(async () => {
  t = await startServer();
  await register(t, 'sse');
  await t.app.listen(0, '127.0.0.1');
  port = ((t.app.getHttpServer() as Server).address() as { port: number }).port;
  document = (await t.http().get('/docs-json').expect(200)).body;
  ns = createNamespace('sse');
  dir = mkdtempSync(join(tmpdir(), 'cloudpilot-sse-'));
}, 60_000);

afterAll(async () => {
  kubectl('admin', ['delete', 'clusterlogs', `${ns}-logs`, '--ignore-not-found']);
  deleteNamespace(ns);
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

/** Opens a stream and reads messages until `done` holds for what was read (or the stream ends). */
async function readStream(
  path: string,
  done: (messages: SseMessage[]) => boolean,
  act: (messages: SseMessage[]) => void = () => undefined,
  ms = 30_000,
): Promise<{ messages: SseMessage[]; ended: boolean }> {
  const gone = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: gone.signal,
  });
  expect([path, res.status, res.headers.get('content-type')]).toEqual([
    path,
    200,
    expect.stringMatching(/^text\/event-stream/),
  ]);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: SseMessage[] = [];
  let text = '';
  const deadline = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  try {
    while (!done(messages)) {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${path}: not done within ${ms} ms: ${JSON.stringify(messages)}`)),
          Math.max(deadline - Date.now(), 0),
        );
      });
      const { value, done: ended } = await Promise.race([reader.read(), timeout]);
      clearTimeout(timer);
      if (ended) return { messages, ended: true };
      const parsed = parseSse(text + value);
      text = parsed.rest;
      messages.push(...parsed.messages);
      act(messages);
    }
    return { messages, ended: false };
  } finally {
    clearTimeout(timer);
    gone.abort();
    await reader.cancel().catch(() => undefined);
  }
}

function problemsOf(contract: StreamContract, messages: SseMessage[]): string[] {
  return messages.flatMap((m) => contract.problems(m));
}

it('documents both streams with per-event data schemas and their comment lines', () => {
  const logs = streamContract(document, '/api/v1/clusters/{clusterId}/pods/{name}/logs/stream');
  const findings = streamContract(document, '/api/v1/clusters/{clusterId}/diagnostics/stream');
  expect(Object.keys(logs.comments)).toEqual(['heartbeat']);
  expect(Object.keys(findings.comments)).toEqual(['connected', 'heartbeat']);
  const media =
    document.paths['/api/v1/clusters/{clusterId}/diagnostics/stream'].get.responses['200'].content[
      'text/event-stream'
    ];
  expect(Object.keys(media['x-sse-events'])).toEqual(['opened', 'updated', 'resolved']);
  expect(media['x-sse-events'].opened).toMatchObject({
    contentMediaType: 'application/json',
    schema: { $ref: '#/components/schemas/FindingDto' },
  });
});

it("a followed log's events (every line) and heartbeat comments match the document's schemas", async () => {
  const lines = Array.from(
    { length: 20 },
    (_, i) =>
      `2026-12-02T10:00:${String(i).padStart(2, '0')}Z stdout F line ${i} {"json":"like"} héllo`,
  );
  writeFileSync(join(dir, 'app.log'), `${lines.join('\n')}\n`);
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'talker', namespace: ns },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
    }),
  });
  serveLogsFromFile(ns, join(dir, 'app.log'));
  await untilPodLogShows(ns, 'talker', 'line 19');
  const contract = streamContract(document, '/api/v1/clusters/{clusterId}/pods/{name}/logs/stream');
  // Every line, then a heartbeat (15 s). KWOK keeps a followed log open even after the pod is
  // deleted, so `end` and `error` are not seen here; their texts are the same constants the writer
  // sends and the document lists (log-stream.ts).
  const { messages } = await readStream(
    `/api/v1/clusters/sse/pods/talker/logs/stream?namespace=${ns}`,
    (read) =>
      read.filter((m) => m.event === 'line').length >= 20 &&
      read.some((m) => m.comments.includes('heartbeat')),
    undefined,
    60_000,
  );
  expect(messages.filter((m) => m.event === 'line')).toHaveLength(20);
  expect(problemsOf(contract, messages)).toEqual([]);
});

it("the diagnostics stream's events (connected, opened, updated, resolved) match the document's schemas", async () => {
  const contract = streamContract(document, '/api/v1/clusters/{clusterId}/diagnostics/stream');
  const service = (selector: Record<string, string>) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orphan', namespace: ns },
      spec: { selector, ports: [{ port: 80 }] },
    });
  const ours = (m: SseMessage) => m.data?.includes(`"namespace":"${ns}"`) ?? false;
  const steps: Array<[string, () => void]> = [
    [
      'connected',
      () => kubectlOk('admin', ['apply', '-f', '-'], { input: service({ app: 'nobody' }) }),
    ],
    [
      'opened',
      () => kubectlOk('admin', ['apply', '-f', '-'], { input: service({ app: 'nobody-else' }) }),
    ],
    ['updated', () => kubectlOk('admin', ['-n', ns, 'delete', 'service', 'orphan'])],
  ];
  let step = 0;
  const { messages } = await readStream(
    `/api/v1/clusters/sse/diagnostics/stream`,
    (read) => read.some((m) => m.event === 'resolved' && ours(m)),
    (read) => {
      // Each change is made once the stream has shown the previous one.
      while (step < steps.length) {
        const [awaited, next] = steps[step];
        const seen =
          awaited === 'connected'
            ? read.some((m) => m.comments.includes('connected'))
            : read.some((m) => m.event === awaited && ours(m));
        if (!seen) return;
        step++;
        next();
      }
    },
  );
  expect(messages[0].comments).toEqual(['connected']);
  expect(messages.filter(ours).map((m) => m.event)).toEqual(
    expect.arrayContaining(['opened', 'updated', 'resolved']),
  );
  expect(problemsOf(contract, messages)).toEqual([]);
});
