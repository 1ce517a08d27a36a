import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
import { ScriptedLlm } from '../support/scripted-llm';
import { createNamespace, deleteNamespace, kubectl, kubectlOk } from './support/test-cluster';

/**
 * The change timeline on the real cluster (docs/changes.md): each scripted cause is written in the
 * middle of unrelated noise (20 Deployments rolled and 20 ConfigMaps edited in the same minute),
 * and the causing change must be suspect #1 of the finding it causes.
 */
jest.setTimeout(300_000);

const suffix = randomBytes(3).toString('hex');
const NODE = `chg-${suffix}`;
const SECRET_CANARY = `canary-secret-${suffix}`;
const ENV_CANARY = `canary-env-${suffix}`;
const NOISE = 20;

const dbDir = mkdtempSync(join(tmpdir(), 'cloudpilot-changes-'));
const env: Record<string, string> = {
  DATABASE_URL: `sqlite:///${join(dbDir, 'cloudpilot.db')}`,
  CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey(),
  LLM_PROVIDER: 'openai',
  LLM_API_KEY: `sk-test-${suffix}`,
  LLM_MODEL: 'scripted-model',
};
const llm = new ScriptedLlm();
let app: TestApp;
let clusterId: string;
let ns: string;
let noiseNs: string;
let noiseRound = 0;
let webCrash: Finding | undefined;
let apiNoPods: Finding | undefined;
const bodies: string[] = [];

async function get(path: string): Promise<Record<string, any>> {
  const res = await app.http().get(path).set(bearer(ADMIN_TOKEN));
  bodies.push(res.text);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body.data;
}

async function until<T>(
  what: string,
  read: () => Promise<T | undefined>,
  ms = 60_000,
  every = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

const apply = (items: unknown[]) =>
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  });

const labels = (app: string, fault?: string) => ({
  app,
  ...(fault ? { 'cloudpilot.dev/fault': fault } : {}),
});

function deployment(
  namespace: string,
  name: string,
  image: string,
  extra: Record<string, any> = {},
) {
  const { fault, nodeSelector, replicas, annotations } = extra;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: labels(name, fault), ...(annotations ? { annotations } : {}) },
        spec: {
          ...(nodeSelector ? { nodeSelector } : {}),
          tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'app',
              image,
              env: [{ name: 'DB_PASSWORD', value: ENV_CANARY }],
              // Requests, as a CPU-utilization autoscaler's target has: without them the HPA is
              // HPA_TARGET_NO_REQUESTS (it cannot scale), not at its maximum.
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}

const configMap = (namespace: string, name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

/** 20 Deployments rolled and 20 ConfigMaps edited: changes unrelated to any cause. */
function noise(): void {
  noiseRound += 1;
  apply(
    Array.from({ length: NOISE }, (_, i) => [
      deployment(noiseNs, `noise-${i}`, `noise/app:${noiseRound}`),
      configMap(noiseNs, `noise-${i}`, { round: String(noiseRound) }),
    ]).flat(),
  );
}

interface Finding {
  id: string;
  code: string;
  object: { kind: string; name: string };
}

async function finding(code: string, kind: string, name: string): Promise<Finding> {
  return until(
    `${code} on ${kind} ${name}`,
    async () => {
      const page = await get(
        `/api/v1/clusters/${clusterId}/diagnostics?namespace=${ns}&code=${code}`,
      );
      return (page.items as Finding[]).find(
        (f) => f.object.kind === kind && f.object.name === name,
      );
    },
    120_000,
    250,
  );
}

async function topSuspect(f: Finding): Promise<Record<string, any>> {
  const suspects = await get(`/api/v1/clusters/${clusterId}/diagnostics/${f.id}/suspects`);
  process.stdout.write(
    `${f.code}: ${suspects.items
      .slice(0, 3)
      .map((s: any) => s.reason)
      .join(' | ')}\n`,
  );
  expect(suspects.items.length).toBeGreaterThan(0);
  return suspects.items[0];
}

beforeAll(async () => {
  ns = createNamespace('chg');
  noiseNs = createNamespace('chg-noise');
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: NODE,
        annotations: { 'kwok.x-k8s.io/node': 'fake' },
        labels: { type: 'kwok', 'chg-pool': suffix },
      },
      spec: { taints: [{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      },
    }),
  });
  kubectlOk('admin', ['wait', '--for=condition=Ready=True', `node/${NODE}`, '--timeout=60s']);
  apply([
    deployment(ns, 'web', 'shop/web:1.4.2'),
    configMap(ns, 'settings', { LEVEL: 'info', MODE: 'fast' }),
    deployment(ns, 'api', 'shop/api:2.0.0'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: ns },
      spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
    },
    deployment(ns, 'pinned', 'shop/pinned:1.0.0', { nodeSelector: { 'chg-pool': suffix } }),
    deployment(ns, 'scaled', 'shop/scaled:1.0.0', { replicas: 3 }),
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'scaled', namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'scaled' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: ns },
      stringData: { password: SECRET_CANARY },
    },
  ]);
  noise();
  for (const d of ['web', 'api', 'pinned', 'scaled'])
    kubectlOk('admin', ['-n', ns, 'rollout', 'status', `deployment/${d}`, '--timeout=90s']);
  env.CLOUDPILOT_LLM_BASE_URL = await llm.start();
  app = await startServer(env);
  clusterId = (await register(app, 'changes')).id;
  // The first sync is the baseline: what exists then is no change.
  await get(`/api/v1/clusters/${clusterId}/overview`);
}, 300_000);

afterAll(async () => {
  await app?.close();
  await llm.close();
  kubectl('admin', ['delete', 'node', NODE, '--ignore-not-found', '--wait=false']);
  for (const n of [ns, noiseNs]) if (n) deleteNamespace(n);
  rmSync(dbDir, { recursive: true, force: true });
});

describe('the change timeline on the real cluster', () => {
  it('has a ConfigMap change in the timeline within 1 s of the API server acknowledging it', async () => {
    await until('a settled cache', async () =>
      (await get(`/api/v1/clusters/${clusterId}/overview`)) ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1000));
    kubectlOk('admin', [
      '-n',
      ns,
      'patch',
      'configmap',
      'settings',
      '--type=merge',
      '-p',
      '{"data":{"LEVEL":"debug"}}',
    ]);
    const acknowledged = Date.now();
    const change = await until(
      'the ConfigMap change',
      async () =>
        (
          await get(
            `/api/v1/clusters/${clusterId}/changes?namespace=${ns}&kind=ConfigMap&name=settings`,
          )
        ).items[0],
      5_000,
      20,
    );
    const tookMs = Date.now() - acknowledged;
    process.stdout.write(`changes: in the timeline ${tookMs} ms after the write\n`);
    expect(tookMs).toBeLessThan(1_000);
    expect(change).toMatchObject({
      category: 'data',
      summary: 'key LEVEL changed',
      manager: 'kubectl-patch',
    });
    const one = await get(`/api/v1/clusters/${clusterId}/changes/${change.id}`);
    expect(one.diff).toEqual([
      {
        path: 'data[LEVEL]',
        old: expect.stringMatching(/^hash:/),
        new: expect.stringMatching(/^hash:/),
      },
    ]);
  });

  it('names the image change suspect #1 of the crash loop it causes, under noise', async () => {
    noise();
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify(deployment(ns, 'web', 'shop/web:1.5.0', { fault: 'CrashLoopBackOff' })),
    });
    noise();
    const crash = await finding('POD_CRASH_LOOP', 'Deployment', 'web');
    const top = await topSuspect(crash);
    expect(top.change).toMatchObject({ kind: 'Deployment', name: 'web', category: 'template' });
    webCrash = crash;
    // The explanation's prompt carries the suspects, the top one's reason first.
    llm.play([
      {
        kind: 'text',
        text: JSON.stringify({ cause: 'the image bump', evidence: [], fix: 'roll back' }),
      },
    ]);
    const explained = await app
      .http()
      .post(`/api/v1/clusters/${clusterId}/diagnostics/${crash.id}/explain`)
      .set(bearer(ADMIN_TOKEN));
    bodies.push(explained.text);
    expect(explained.status).toBe(200);
    expect(llm.requests[0].raw).toContain(top.reason);
    expect(top.reason).toMatch(
      /^image of container app changed from 1\.4\.2 to 1\.5\.0 .*on this Deployment .*before the crash loop began$/,
    );
  });

  it('names the removed ConfigMap key suspect #1 of the CreateContainerConfigError it causes', async () => {
    noise();
    kubectlOk('admin', [
      '-n',
      ns,
      'patch',
      'configmap',
      'settings',
      '--type=merge',
      '-p',
      '{"data":{"MODE":null}}',
    ]);
    noise();
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'worker',
          namespace: ns,
          labels: labels('worker', 'CreateContainerConfigError'),
        },
        spec: {
          tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'app',
              image: 'shop/worker:1',
              env: [
                { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
              ],
            },
          ],
        },
      }),
    });
    const top = await topSuspect(await finding('POD_CONTAINER_CONFIG_ERROR', 'Pod', 'worker'));
    expect(top.change).toMatchObject({
      kind: 'ConfigMap',
      name: 'settings',
      summary: 'key MODE removed',
    });
  });

  it('names the Service selector edit suspect #1 of the Service losing its pods', async () => {
    noise();
    kubectlOk('admin', [
      '-n',
      ns,
      'patch',
      'service',
      'api',
      '--type=merge',
      '-p',
      '{"spec":{"selector":{"app":"api-v2"}}}',
    ]);
    noise();
    apiNoPods = await finding('SERVICE_NO_MATCHING_PODS', 'Service', 'api');
    const top = await topSuspect(apiNoPods);
    expect(top.change).toMatchObject({ kind: 'Service', name: 'api', category: 'selector' });
    expect(top.reason).toContain('selector.app changed from api to api-v2');
  });

  it('names the node taint suspect #1 of the pods it makes unschedulable', async () => {
    noise();
    kubectlOk('admin', ['taint', 'node', NODE, 'dedicated=db:NoSchedule']);
    noise();
    kubectlOk('admin', ['-n', ns, 'delete', 'pod', '-l', 'app=pinned', '--wait=false']);
    const top = await topSuspect(await finding('POD_UNSCHEDULABLE', 'Deployment', 'pinned'));
    expect(top.change).toMatchObject({ kind: 'Node', name: NODE, category: 'node' });
    expect(top.change.summary).toContain('taints[dedicated:NoSchedule]');
  });

  it('names the lowered HPA maximum suspect #1 of the autoscaler at its maximum', async () => {
    noise();
    kubectlOk('admin', [
      '-n',
      ns,
      'patch',
      'hpa',
      'scaled',
      '--type=merge',
      '-p',
      '{"spec":{"maxReplicas":2}}',
    ]);
    noise();
    const top = await topSuspect(
      await finding('HPA_AT_MAX_REPLICAS', 'HorizontalPodAutoscaler', 'scaled'),
    );
    expect(top.change).toMatchObject({
      kind: 'HorizontalPodAutoscaler',
      name: 'scaled',
      category: 'autoscaling',
    });
    expect(top.change.summary).toBe('maxReplicas changed from 5 to 2');
  });

  it('proposes rolling the crash-looping Deployment back to its previous revision, applied only on approval', async () => {
    const post = (path: string) => app.http().post(path).set(bearer(ADMIN_TOKEN)).send({});
    const res = await post(`/api/v1/clusters/${clusterId}/diagnostics/${webCrash!.id}/rollback`);
    bodies.push(res.text);
    expect(res.status).toBe(201);
    const proposal = res.body.data;
    expect(proposal).toMatchObject({
      action: 'rollback',
      kind: 'deployments',
      name: 'web',
      status: 'pending',
    });
    expect(proposal.dryRun.diff).toEqual(
      expect.arrayContaining([expect.objectContaining({ to: 'shop/web:1.4.2' })]),
    );
    const image = () =>
      kubectlOk('admin', [
        '-n',
        ns,
        'get',
        'deployment',
        'web',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]).trim();
    expect(image()).toBe('shop/web:1.5.0');
    const approved = await post(`/api/v1/llm/proposals/${proposal.id}/approve`);
    bodies.push(approved.text);
    expect([approved.status, approved.body.data?.status]).toEqual([200, 'applied']);
    expect(image()).toBe('shop/web:1.4.2');
    const refused = await post(
      `/api/v1/clusters/${clusterId}/diagnostics/${apiNoPods!.id}/rollback`,
    );
    expect([refused.status, refused.body.code]).toEqual([409, 'ROLLBACK_NOT_APPLICABLE']);
  });

  it("puts an object's changes and events on one timeline with include=changes", async () => {
    const path = `/api/v1/clusters/${clusterId}/resources/deployments/web/events?namespace=${ns}`;
    expect((await get(path)).timeline).toBeUndefined();
    const { timeline } = await get(`${path}&include=changes`);
    const changes = timeline.filter((e: { type: string }) => e.type === 'change');
    expect(changes.map((e: any) => e.change.category)).toEqual(
      expect.arrayContaining(['template', 'rollout']),
    );
    const times = timeline.map((e: { at: string | null }) => Date.parse(e.at ?? '') || 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('records a Secret by metadata only and never stores or returns a secret value', async () => {
    kubectlOk('admin', [
      '-n',
      ns,
      'patch',
      'secret',
      'db',
      '--type=merge',
      '-p',
      JSON.stringify({ stringData: { password: `${SECRET_CANARY}-2`, token: SECRET_CANARY } }),
    ]);
    const change = await until(
      'the Secret change',
      async () =>
        (await get(`/api/v1/clusters/${clusterId}/changes?namespace=${ns}&kind=Secret&name=db`))
          .items[0],
      5_000,
      50,
    );
    expect(change.diff.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['data[token]', 'resourceVersion']),
    );
    await get(`/api/v1/clusters/${clusterId}/changes?limit=500`);
    for (const text of [...bodies, app.rawLogs(), ...llm.requests.map((r) => r.raw)]) {
      expect(text).not.toContain(SECRET_CANARY);
      expect(text).not.toContain(ENV_CANARY);
    }
    for (const file of readdirSync(dbDir)) {
      const bytes = readFileSync(join(dbDir, file)).toString('latin1');
      expect([file, bytes.includes(SECRET_CANARY) || bytes.includes(ENV_CANARY)]).toEqual([
        file,
        false,
      ]);
    }
  });

  it('keeps the timeline across a restart', async () => {
    const before = await get(`/api/v1/clusters/${clusterId}/changes?namespace=${ns}&limit=500`);
    await app.close();
    app = await startServer(env);
    const after = await get(`/api/v1/clusters/${clusterId}/changes?namespace=${ns}&limit=500`);
    expect(after.total).toBeGreaterThanOrEqual(before.total);
    expect(after.items.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(before.items.map((c: { id: string }) => c.id)),
    );
  });

  it('records nothing with changes.enabled=false, and still returns what was stored', async () => {
    const path = `/api/v1/clusters/${clusterId}/changes?namespace=${ns}&kind=ConfigMap&name=settings`;
    const before = await get(path);
    await app.close();
    app = await startServer({ ...env, CLOUDPILOT_CHANGES_ENABLED: 'false' });
    await until('a settled cache', async () =>
      (await get(`/api/v1/clusters/${clusterId}/overview`)) ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1000));
    kubectlOk('admin', [
      ...['-n', ns, 'patch', 'configmap', 'settings', '--type=merge'],
      ...['-p', '{"data":{"LEVEL":"trace"}}'],
    ]);
    // Recorded, the same edit is in the timeline within 1 s (the first test): wait three.
    await new Promise((r) => setTimeout(r, 3000));
    const after = await get(path);
    expect(before.total).toBeGreaterThan(0);
    expect(after.items.map((c: { id: string }) => c.id)).toEqual(
      before.items.map((c: { id: string }) => c.id),
    );
  });
});
