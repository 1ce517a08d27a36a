import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, eventually, kubectl, kubectlOk } from './support/test-cluster';

describe('pod logs through the API', () => {
  let t: TestApp;
  let ns: string;
  let dir: string;
  const api = (path: string) => t.http().get(`/api/v1/clusters/lg/pods/${path}`).set(bearer(ADMIN_TOKEN));
  const pod = (name: string, containers: string[]) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: containers.map((c) => ({ name: c, image: `registry.example/${c}:1` })) } });

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'lg');
    ns = createNamespace('logs');
    dir = mkdtempSync(join(tmpdir(), 'cloudpilot-logs-'));
    const lines = Array.from({ length: 50 }, (_, i) => `2026-11-01T10:00:${String(i).padStart(2, '0')}Z stdout F line ${i} héllo`).join('\n');
    writeFileSync(join(dir, 'app.log'), `${lines}\n`);
    kubectlOk('admin', ['apply', '-f', '-'], { input: pod('single', ['app']) });
    kubectlOk('admin', ['apply', '-f', '-'], { input: pod('double', ['app', 'sidecar']) });
    kubectlOk('admin', ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterLogs', metadata: { name: `${ns}-logs` }, spec: { selector: { matchNamespaces: [ns] }, logs: [{ logsFile: join(dir, 'app.log') }] } }) });
    await eventually('logs served by KWOK', () => {
      const res = kubectl('admin', ['logs', '-n', ns, 'single']);
      return res.status === 0 && res.stdout.includes('line 49') ? true : undefined;
    }, { timeoutMs: 60_000 });
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
    expect(res.body.data).toMatchObject({ pod: 'single', container: 'app', previous: false, truncated: false });
    expect(res.body.data.text).toBe(kubectlOk('admin', ['logs', '-n', ns, 'single']));
  });

  it('honours tailLines and timestamps', async () => {
    const res = await api(`single/logs?namespace=${ns}&tailLines=2&timestamps=true`);
    expect(res.body.data.text.trim().split('\n')).toEqual([expect.stringMatching(/^2026-11-01T10:00:48(\.\d+)?Z line 48 héllo$/), expect.stringMatching(/line 49 héllo$/)]);
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
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'container', errors: ['one of: app, sidecar'] }] });
    await expect(api(`double/logs?namespace=${ns}&container=nope`)).resolves.toMatchObject({ status: 400, body: { details: [{ field: 'container' }] } });
    await expect(api(`double/logs?namespace=${ns}&container=sidecar&tailLines=1`)).resolves.toMatchObject({ status: 200, body: { data: { container: 'sidecar' } } });
  });

  it('answers a missing pod with 404 and bad parameters with 400', async () => {
    await expect(api(`absent/logs?namespace=${ns}`)).resolves.toMatchObject({ status: 404, body: { code: 'K8S_NOT_FOUND' } });
    await expect(api('single/logs')).resolves.toMatchObject({ status: 400, body: { details: [expect.objectContaining({ field: 'namespace' })] } });
    await expect(api(`single/logs?namespace=${ns}&tailLines=0`)).resolves.toMatchObject({ status: 400 });
  });
});
