import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { ClusterDirectory } from '../../src/cluster-registry/cluster-directory';
import {
  createNamespace,
  deleteNamespace,
  kubectl,
  kubectlOk,
  serveLogsFromFile,
  untilPodLogShows,
} from './support/test-cluster';

describe('pod logs through the API', () => {
  let t: TestApp;
  let ns: string;
  let dir: string;
  const api = (path: string) =>
    t.http().get(`/api/v1/clusters/lg/pods/${path}`).set(bearer(ADMIN_TOKEN));
  const pod = (name: string, containers: string[]) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns },
      spec: { containers: containers.map((c) => ({ name: c, image: `registry.example/${c}:1` })) },
    });

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'lg');
    ns = createNamespace('logs');
    dir = mkdtempSync(join(tmpdir(), 'cloudpilot-logs-'));
    const lines = Array.from(
      { length: 50 },
      (_, i) => `2026-11-01T10:00:${String(i).padStart(2, '0')}Z stdout F line ${i} héllo`,
    ).join('\n');
    writeFileSync(join(dir, 'app.log'), `${lines}\n`);
    kubectlOk('admin', ['apply', '-f', '-'], { input: pod('single', ['app']) });
    kubectlOk('admin', ['apply', '-f', '-'], { input: pod('double', ['app', 'sidecar']) });
    serveLogsFromFile(ns, join(dir, 'app.log'));
    await untilPodLogShows(ns, 'single', 'line 49');
  }, 90_000);
  afterAll(async () => {
    kubectl('admin', ['delete', 'clusterlogs', `${ns}-logs`, '--ignore-not-found']);
    deleteNamespace(ns);
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('returns the log text KWOK serves, like kubectl logs', async () => {
    const res = await api(`single/logs?namespace=${ns}`);
    expect([res.status, res.body.code, res.body.message]).toEqual([200, 'OK', 'OK']);
    expect(res.body.data).toMatchObject({
      pod: 'single',
      container: 'app',
      previous: false,
      truncated: false,
    });
    expect(res.body.data.text).toBe(kubectlOk('admin', ['logs', '-n', ns, 'single']));
  });

  it('honours tailLines and timestamps', async () => {
    const res = await api(`single/logs?namespace=${ns}&tailLines=2&timestamps=true`);
    expect(res.body.data.text.trim().split('\n')).toEqual([
      expect.stringMatching(/^2026-11-01T10:00:48(\.\d+)?Z line 48 héllo$/),
      expect.stringMatching(/line 49 héllo$/),
    ]);
  });

  it('offers the log as a text/plain download', async () => {
    const res = await api(`single/logs/download?namespace=${ns}&tailLines=1`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="single_app.log"');
    expect(res.text).toBe('line 49 héllo\n');
  });

  it('asks for a container on a multi-container pod, listing the valid ones', async () => {
    const res = await api(`double/logs?namespace=${ns}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'container', errors: ['one of: app, sidecar'] }],
    });
    await expect(api(`double/logs?namespace=${ns}&container=nope`)).resolves.toMatchObject({
      status: 400,
      body: { details: [{ field: 'container' }] },
    });
    await expect(
      api(`double/logs?namespace=${ns}&container=sidecar&tailLines=1`),
    ).resolves.toMatchObject({ status: 200, body: { data: { container: 'sidecar' } } });
  });

  it('answers a missing pod with 404 and bad parameters with 400', async () => {
    await expect(api(`absent/logs?namespace=${ns}`)).resolves.toMatchObject({
      status: 404,
      body: { code: 'K8S_NOT_FOUND' },
    });
    await expect(api('single/logs')).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'namespace' })] },
    });
    await expect(api(`single/logs?namespace=${ns}&tailLines=0`)).resolves.toMatchObject({
      status: 400,
    });
  });

  describe('followed as Server-Sent Events', () => {
    /** Followed logs of pod `single` the cluster's client holds open (watches left out). */
    async function followedLogs(): Promise<number> {
      const client = await t.app.get(ClusterDirectory).client('lg');
      return client.openStreamPaths().filter((p) => p.endsWith('/pods/single/log')).length;
    }

    async function readUntil(
      reader: ReadableStreamDefaultReader<string>,
      seen: { text: string },
      needle: string,
      ms: number,
    ): Promise<void> {
      const deadline = Date.now() + ms;
      while (!seen.text.includes(needle)) {
        if (Date.now() > deadline)
          throw new Error(`no "${needle}" within ${ms} ms; got ${seen.text}`);
        const { value, done } = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('read timed out')), ms),
          ),
        ]);
        if (done) throw new Error(`stream ended before "${needle}"`);
        seen.text += value;
      }
    }

    it('delivers new lines as they are written and stops following when the client leaves', async () => {
      await t.app.listen(0, '127.0.0.1');
      const server = t.app.getHttpServer() as Server;
      const { port } = server.address() as { port: number };
      await api(`single/logs?namespace=${ns}&tailLines=1`).expect(200); // discovery and the connection pool warmed first
      const baseline = await followedLogs();
      const gone = new AbortController();
      const res = await fetch(
        `http://127.0.0.1:${port}/api/v1/clusters/lg/pods/single/logs/stream?namespace=${ns}&tailLines=1`,
        { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, signal: gone.signal },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const seen = { text: '' };
      await readUntil(reader, seen, 'data: line 49 héllo', 10_000);
      const started = Date.now();
      appendFileSync(
        join(dir, 'app.log'),
        '2026-11-01T10:01:00Z stdout F written while following\n',
      );
      await readUntil(reader, seen, 'event: line\ndata: written while following', 10_000);
      process.stdout.write(`SSE: appended line delivered in ${Date.now() - started} ms\n`);
      expect(await followedLogs()).toBe(baseline + 1); // the adapter follows for us
      gone.abort();
      await reader.cancel().catch(() => undefined);
      const connections = () =>
        new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)));
      // The follow must be let go soon after the client left (its HTTP/2 stream is reset; the
      // pooled connection stays); a stream left following would stay open forever.
      for (
        let i = 0;
        i < 100 && ((await connections()) > 0 || (await followedLogs()) > baseline);
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      expect(await connections()).toBe(0);
      expect(await followedLogs()).toBeLessThanOrEqual(baseline);
    }, 40_000);

    it('answers errors before the stream starts as the envelope', async () => {
      await expect(api(`double/logs/stream?namespace=${ns}`)).resolves.toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
      await expect(api(`absent/logs/stream?namespace=${ns}`)).resolves.toMatchObject({
        status: 404,
        body: { code: 'K8S_NOT_FOUND' },
      });
    });
  });
});
