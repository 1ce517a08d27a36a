import { readFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSse, ScriptedLlm, Step } from '../support/scripted-llm';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import {
  createNamespace,
  deleteNamespace,
  eventually,
  kubectl,
  kubectlOk,
  untilPodLogShows,
} from './support/test-cluster';

// Canaries planted in the real cluster: none may reach the model, the database or the log.
const SECRET_CANARY = 'canary-secret-value-7f3a9c2e41d8';
const KUBECONFIG_CANARY = 'canary-kubeconfig-token-91b2c7d4e5f6a8';
const LOG_BEARER_CANARY = 'canarybearer0123456789abcdef';
const ENV_CANARY = 'canary-env-literal-55aa77bb99cc';
const API_KEY = 'sk-test-provider-key-0123456789abcdef';

const kubeconfigInConfigMap = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '- name: prod',
  '  cluster:',
  '    server: https://prod.canary.example:6443',
  'users:',
  '- name: deployer',
  '  user:',
  `    token: ${KUBECONFIG_CANARY}`,
].join('\n');

jest.setTimeout(30_000);

describe('the LLM assistant against a scripted provider and the real cluster', () => {
  const llm = new ScriptedLlm();
  let t: TestApp;
  let ns: string;
  let dir: string;
  let dbFile: string;
  let viewer: string;
  let operator: string;

  const api = () => t.http();
  const newSession = async (token = ADMIN_TOKEN, headers: Record<string, string> = {}) => {
    const res = await api()
      .post('/api/v1/llm/sessions')
      .set({ ...bearer(token), ...headers })
      .send({ clusterId: 'ai', title: 'why is checkout failing' });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };
  const ask = async (session: string, content: string, token = ADMIN_TOKEN) => {
    const res = await api()
      .post(`/api/v1/llm/sessions/${session}/messages`)
      .set(bearer(token))
      .send({ content })
      .buffer(true)
      .parse((stream, done) => {
        let text = '';
        stream.on('data', (c: Buffer) => (text += c.toString()));
        stream.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    return parseSse(res.body as string);
  };
  const tokenFor = async (name: string, role: string) =>
    (await api().post('/api/v1/auth/tokens').set(bearer(ADMIN_TOKEN)).send({ name, role })).body
      .data.token as string;
  const replicas = () =>
    JSON.parse(kubectlOk('admin', ['get', 'deployment', 'web', '-n', ns, '-o', 'json'])).spec
      .replicas as number;

  beforeAll(async () => {
    const baseUrl = await llm.start();
    dir = mkdtempSync(join(tmpdir(), 'cloudpilot-llm-'));
    dbFile = join(dir, 'cloudpilot.db');
    t = await startServer({
      DATABASE_URL: `sqlite:///${dbFile}`,
      LLM_PROVIDER: 'openai',
      LLM_API_KEY: API_KEY,
      LLM_MODEL: 'scripted-model',
      CLOUDPILOT_LLM_BASE_URL: baseUrl,
      CLOUDPILOT_LLM_MAX_TOOL_CALLS: '4',
      CLOUDPILOT_LLM_MAX_TOKENS: '20000',
      CLOUDPILOT_LLM_TIMEOUT_SECONDS: '3',
      CLOUDPILOT_LLM_MAX_RETRIES: '2',
      CLOUDPILOT_LLM_REQUEST_DEADLINE_SECONDS: '30',
      CLOUDPILOT_LLM_INPUT_PRICE_PER_MTOK: '2',
      CLOUDPILOT_LLM_OUTPUT_PRICE_PER_MTOK: '8',
    });
    await register(t, 'ai');
    viewer = await tokenFor('llm-viewer', 'viewer');
    operator = await tokenFor('llm-operator', 'operator');
    ns = createNamespace('llm');
    plantFixtures();
    await untilPodLogShows(ns, 'checkout', 'payment gateway');
  }, 120_000);

  afterAll(async () => {
    kubectl('admin', ['delete', 'clusterlogs', `${ns}-logs`, '--ignore-not-found']);
    deleteNamespace(ns);
    await t?.close();
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function plantFixtures(): void {
    writeFileSync(
      join(dir, 'checkout.log'),
      [
        '2026-12-01T10:00:00Z stdout F starting checkout',
        `2026-12-01T10:00:01Z stdout F calling payments with Authorization: Bearer ${LOG_BEARER_CANARY}`,
        '2026-12-01T10:00:02Z stdout F error: payment gateway timeout after 30s',
        '',
      ].join('\n'),
    );
    const docs = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'payments-key', namespace: ns },
        stringData: { apiKey: SECRET_CANARY },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'deploy-config', namespace: ns },
        data: { kubeconfig: kubeconfigInConfigMap },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'checkout', namespace: ns, labels: { app: 'checkout' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example/checkout:1',
              env: [
                { name: 'PAYMENTS_API_TOKEN', value: ENV_CANARY },
                {
                  name: 'PAYMENTS_KEY',
                  valueFrom: { secretKeyRef: { name: 'payments-key', key: 'apiKey' } },
                },
              ],
            },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'checkout.backoff', namespace: ns },
        involvedObject: { kind: 'Pod', name: 'checkout', namespace: ns },
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container app in pod checkout',
        count: 7,
        firstTimestamp: new Date(Date.now() - 60_000).toISOString(),
        lastTimestamp: new Date().toISOString(),
        source: { component: 'kubelet' },
      },
      {
        apiVersion: 'kwok.x-k8s.io/v1alpha1',
        kind: 'ClusterLogs',
        metadata: { name: `${ns}-logs` },
        spec: {
          selector: { matchNamespaces: [ns] },
          logs: [{ logsFile: join(dir, 'checkout.log'), follow: false }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'ghost', namespace: ns },
        spec: { host: 'ghost.nowhere.svc.cluster.local' },
      },
    ];
    for (const doc of docs)
      kubectlOk('admin', ['apply', '-f', '-'], { input: JSON.stringify(doc) });
    kubectlOk('admin', [
      'create',
      'deployment',
      'web',
      '-n',
      ns,
      '--image=registry.example/web:1',
      '--replicas=1',
    ]);
  }

  it('answers 503 LLM_NOT_CONFIGURED naming the keys to set, while the rest of the API works', async () => {
    const bare = await startServer();
    try {
      await register(bare, 'bare');
      const res = await bare
        .http()
        .post('/api/v1/llm/sessions')
        .set(bearer(ADMIN_TOKEN))
        .send({ clusterId: 'bare' });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('LLM_NOT_CONFIGURED');
      expect(res.body.message).toMatch(/LLM_API_KEY/);
      await bare
        .http()
        .get('/api/v1/clusters/bare/istio/validations')
        .set(bearer(ADMIN_TOKEN))
        .expect(200);
    } finally {
      await bare.close();
    }
  });

  it('investigates from the diagnostics: findings first, then the logs, then the answer', async () => {
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'reporting', namespace: ns },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example/reporting:1',
              envFrom: [{ configMapRef: { name: 'report-settings' } }],
            },
          ],
        },
      }),
    });
    // Findings follow watch events (debounced): wait until the route shows this one.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await api()
        .get(`/api/v1/clusters/ai/diagnostics?namespace=${ns}`)
        .set(bearer(ADMIN_TOKEN));
      if (res.body.data?.items?.some((f: any) => f.code === 'POD_MISSING_CONFIGMAP')) break;
      if (Date.now() > deadline)
        throw new Error(`no POD_MISSING_CONFIGMAP: ${JSON.stringify(res.body).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const answer = 'reporting cannot start: its ConfigMap report-settings does not exist.';
    llm.play([
      { kind: 'tools', calls: [{ name: 'diagnostics_findings', arguments: { namespace: ns } }] },
      {
        kind: 'tools',
        calls: [{ name: 'pod_logs', arguments: { namespace: ns, pod: 'checkout', tailLines: 20 } }],
      },
      { kind: 'text', text: answer },
    ]);
    try {
      const events = await ask(await newSession(), 'What is broken in this namespace?');
      expect(
        events.filter((e) => e.event !== 'delta').map((e) => `${e.event}:${e.data.name ?? ''}`),
      ).toEqual([
        'tool_call:diagnostics_findings',
        'tool_result:diagnostics_findings',
        'tool_call:pod_logs',
        'tool_result:pod_logs',
        'done:',
      ]);
      // The model saw the real finding, then the real log.
      expect(llm.requests).toHaveLength(3);
      expect(llm.requests[1].raw).toContain('POD_MISSING_CONFIGMAP');
      expect(llm.requests[1].raw).toContain('report-settings');
      expect(llm.requests[2].raw).toContain('payment gateway timeout after 30s');
    } finally {
      kubectl('admin', ['delete', 'pod', 'reporting', '-n', ns, '--wait=false']);
    }
  });

  it('streams a two-step investigation in order: events, then logs, then the answer', async () => {
    const answer =
      'Checkout crashes: the payment gateway times out (see the BackOff events and the log).';
    llm.play([
      {
        kind: 'tools',
        calls: [{ name: 'list_events', arguments: { namespace: ns, type: 'Warning' } }],
      },
      {
        kind: 'tools',
        calls: [{ name: 'pod_logs', arguments: { namespace: ns, pod: 'checkout', tailLines: 20 } }],
      },
      { kind: 'text', text: answer },
    ]);
    const session = await newSession();
    const events = await ask(session, 'Why is checkout failing?');
    expect(
      events.filter((e) => e.event !== 'delta').map((e) => `${e.event}:${e.data.name ?? ''}`),
    ).toEqual([
      'tool_call:list_events',
      'tool_result:list_events',
      'tool_call:pod_logs',
      'tool_result:pod_logs',
      'done:',
    ]);
    const firstDelta = events.findIndex((e) => e.event === 'delta');
    expect(firstDelta).toBeGreaterThan(
      events.findIndex((e) => e.event === 'tool_result' && e.data.name === 'pod_logs'),
    );
    expect(
      events
        .filter((e) => e.event === 'delta')
        .map((e) => e.data.text)
        .join(''),
    ).toBe(answer);
    expect(events.at(-1)!.data).toMatchObject({
      usage: { promptTokens: 300, completionTokens: 60, costUsd: (300 * 2 + 60 * 8) / 1e6 },
      toolCalls: 2,
    });
    // The model saw the real cluster: the event on the second call, the log on the third.
    expect(llm.requests).toHaveLength(3);
    expect(llm.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(llm.requests[0].body.tools.map((x: any) => x.function.name)).toContain('pod_logs');
    expect(llm.requests[1].raw).toContain(
      'Back-off restarting failed container app in pod checkout',
    );
    expect(llm.requests[2].raw).toContain('payment gateway timeout after 30s');
    const detail = await api()
      .get(`/api/v1/llm/sessions/${session}`)
      .set(bearer(ADMIN_TOKEN))
      .expect(200);
    expect(detail.body.data.messages.map((m: any) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(detail.body.data.usage).toMatchObject({ promptTokens: 300, completionTokens: 60 });
  });

  it('keeps each session to the token that created it', async () => {
    llm.play([{ kind: 'text', text: 'ok' }]);
    const mine = await newSession(viewer);
    await api().get(`/api/v1/llm/sessions/${mine}`).set(bearer(viewer)).expect(200);
    await expect(
      api().get(`/api/v1/llm/sessions/${mine}`).set(bearer(operator)),
    ).resolves.toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    await expect(
      api()
        .post(`/api/v1/llm/sessions/${mine}/messages`)
        .set(bearer(ADMIN_TOKEN))
        .send({ content: 'hi' }),
    ).resolves.toMatchObject({ status: 404 });
    await expect(
      api().delete(`/api/v1/llm/sessions/${mine}`).set(bearer(operator)),
    ).resolves.toMatchObject({ status: 404 });
    const listed = await api().get('/api/v1/llm/sessions').set(bearer(operator)).expect(200);
    expect(listed.body.data.items.map((s: any) => s.id)).not.toContain(mine);
    await api().delete(`/api/v1/llm/sessions/${mine}`).set(bearer(viewer)).expect(200);
    await expect(
      api().get(`/api/v1/llm/sessions/${mine}`).set(bearer(viewer)),
    ).resolves.toMatchObject({ status: 404 });
  });

  it('applies a proposed change only when an operator approves it; a viewer cannot', async () => {
    llm.play([
      {
        kind: 'tools',
        calls: [
          {
            name: 'propose_scale',
            arguments: {
              kind: 'deployments',
              namespace: ns,
              name: 'web',
              replicas: 3,
              reason: 'more capacity for checkout',
            },
          },
        ],
      },
      { kind: 'text', text: 'I proposed scaling web to 3 replicas.' },
    ]);
    const session = await newSession(viewer);
    const events = await ask(session, 'Scale web up please', viewer);
    const proposal = events.find((e) => e.event === 'proposal')!.data;
    expect(proposal).toMatchObject({
      action: 'scale',
      status: 'pending',
      dryRun: { diff: [{ path: 'spec.replicas', from: 1, to: 3 }] },
    });
    expect(events.at(-1)!.event).toBe('done');
    expect(replicas()).toBe(1); // the dry run changed nothing
    await expect(
      api().post(`/api/v1/llm/proposals/${proposal.id}/approve`).set(bearer(viewer)),
    ).resolves.toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(replicas()).toBe(1);
    const approved = await api()
      .post(`/api/v1/llm/proposals/${proposal.id}/approve`)
      .set(bearer(operator))
      .expect(200);
    expect(approved.body.data).toMatchObject({
      status: 'applied',
      decidedBy: 'llm-operator',
      resultCode: 'OK',
    });
    expect(replicas()).toBe(3);
    await expect(
      api().post(`/api/v1/llm/proposals/${proposal.id}/approve`).set(bearer(operator)),
    ).resolves.toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    const audit = await api()
      .get('/api/v1/audit?actor=llm-operator')
      .set(bearer(ADMIN_TOKEN))
      .expect(200);
    const row = audit.body.data.items.find(
      (r: any) => r.status === 200 && r.path.endsWith('/approve'),
    );
    expect(row.target).toContain(`session=${session}`);
    expect(row.target).toContain(`proposal=${proposal.id}`);
  });

  it('refuses a stale proposal with 409, and a rejected one for good', async () => {
    const scaleTo = (n: number): Step => ({
      kind: 'tools',
      calls: [
        {
          name: 'propose_scale',
          arguments: {
            kind: 'deployments',
            namespace: ns,
            name: 'web',
            replicas: n,
            reason: 'scripted proposal',
          },
        },
      ],
    });
    llm.play([
      scaleTo(5),
      { kind: 'text', text: 'proposed' },
      scaleTo(6),
      { kind: 'text', text: 'proposed' },
    ]);
    const session = await newSession();
    const stale = (await ask(session, 'scale to 5')).find((e) => e.event === 'proposal')!.data;
    const rejected = (await ask(session, 'scale to 6')).find((e) => e.event === 'proposal')!.data;
    kubectlOk('admin', ['annotate', 'deployment', 'web', '-n', ns, 'touched=yes']);
    await expect(
      api().post(`/api/v1/llm/proposals/${stale.id}/approve`).set(bearer(operator)),
    ).resolves.toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect(replicas()).toBe(3);
    await api()
      .post(`/api/v1/llm/proposals/${rejected.id}/reject`)
      .set(bearer(ADMIN_TOKEN))
      .expect(200);
    await expect(
      api().post(`/api/v1/llm/proposals/${rejected.id}/approve`).set(bearer(operator)),
    ).resolves.toMatchObject({ status: 409 });
    expect(replicas()).toBe(3);
    const detail = await api()
      .get(`/api/v1/llm/sessions/${session}`)
      .set(bearer(ADMIN_TOKEN))
      .expect(200);
    expect(detail.body.data.proposals.map((p: any) => p.status)).toEqual(['failed', 'rejected']);
  });

  it('stops a model that calls tools forever with LLM_BUDGET_EXCEEDED', async () => {
    llm.play(() => ({ kind: 'tools', calls: [{ name: 'cluster_overview', arguments: {} }] }));
    const session = await newSession();
    const events = await ask(session, 'loop');
    expect(events.filter((e) => e.event === 'tool_result')).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'LLM_BUDGET_EXCEEDED' } });
    expect(llm.requests).toHaveLength(5);
    // The refused call is answered in the history, so a follow-up question still works.
    llm.play([{ kind: 'text', text: 'done now' }]);
    expect((await ask(session, 'and now?')).at(-1)!.event).toBe('done');
    const last = llm.requests[0].body.messages;
    const calls = last
      .filter((m: any) => m.tool_calls)
      .flatMap((m: any) => m.tool_calls.map((c: any) => c.id));
    expect(last.filter((m: any) => m.role === 'tool').map((m: any) => m.tool_call_id)).toEqual(
      calls,
    );
  });

  it('stops at the token budget too', async () => {
    llm.play(() => ({
      kind: 'tools',
      calls: [{ name: 'list_namespaces', arguments: {} }],
      usage: { prompt_tokens: 15000, completion_tokens: 6000 },
    }));
    const events = await ask(await newSession(), 'expensive');
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'LLM_BUDGET_EXCEEDED' } });
    expect(events.at(-1)!.data.message).toMatch(/token budget/);
    expect(llm.requests).toHaveLength(1);
  });

  it('honours Retry-After on 429 and retries a 500, within the deadline', async () => {
    llm.play([
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 500 },
      { kind: 'text', text: 'recovered' },
    ]);
    const events = await ask(await newSession(), 'hello');
    expect(events.at(-1)!.event).toBe('done');
    expect(llm.requests).toHaveLength(3);
    expect(llm.requests[1].at - llm.requests[0].at).toBeGreaterThanOrEqual(950);
  });

  it('answers LLM_RATE_LIMITED at once when Retry-After is past the deadline, LLM_PROVIDER_ERROR after retries', async () => {
    llm.play([{ kind: 'status', status: 429, retryAfter: '3600' }]);
    const started = Date.now();
    expect((await ask(await newSession(), 'x')).at(-1)).toMatchObject({
      event: 'error',
      data: { code: 'LLM_RATE_LIMITED' },
    });
    expect(Date.now() - started).toBeLessThan(3000);
    llm.play(() => ({ kind: 'status', status: 503 }));
    expect((await ask(await newSession(), 'x')).at(-1)).toMatchObject({
      event: 'error',
      data: { code: 'LLM_PROVIDER_ERROR' },
    });
    expect(llm.requests).toHaveLength(3); // the first call and two retries
  });

  it('answers LLM_TIMEOUT when the provider stalls', async () => {
    llm.play(() => ({ kind: 'stall' }));
    const events = await ask(await newSession(), 'x');
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'LLM_TIMEOUT' } });
    expect(llm.requests).toHaveLength(3);
    await eventually('every stalled call aborted', () =>
      llm.requests.every((r) => r.abortedAt) ? true : undefined,
    );
  }, 30_000);

  it('stops the model call when the client disconnects', async () => {
    llm.play([{ kind: 'stall', text: 'Let me look' }]);
    const session = await newSession();
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const leftAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no delta received')), 5000);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/llm/sessions/${session}/messages`,
          headers: { ...bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
        },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('Let me look')) {
              req.destroy();
              clearTimeout(timer);
              resolve(Date.now());
            }
          });
        },
      );
      req.on('error', () => undefined);
      req.end(JSON.stringify({ content: 'investigate' }));
    });
    const aborted = await eventually('upstream call aborted', () => llm.requests[0]?.abortedAt, {
      timeoutMs: 5000,
      intervalMs: 20,
    });
    // Well before the 3 s provider timeout: the disconnect, not a timeout, ended it.
    expect(aborted - leftAt).toBeLessThan(1000);
    expect(llm.requests).toHaveLength(1);
  });

  it('explains a finding in the language asked, once per finding version', async () => {
    const findingId = `ISTIO_DR_HOST_NOT_FOUND:${ns}:DestinationRule:ghost`;
    llm.play([
      {
        kind: 'text',
        text: JSON.stringify({
          cause: '目标主机不存在',
          evidence: ['host ghost.nowhere 不存在'],
          fix: '修正 host',
        }),
      },
    ]);
    const path = `/api/v1/clusters/ai/diagnostics/${encodeURIComponent(findingId)}/explain`;
    const first = await api()
      .post(path)
      .set({ ...bearer(viewer), 'Accept-Language': 'zh-CN,zh;q=0.9' })
      .expect(200);
    expect(first.body.data).toMatchObject({
      language: 'zh',
      cause: '目标主机不存在',
      fix: '修正 host',
      cached: false,
    });
    expect(llm.requests[0].body.messages[0].content).toContain('Simplified Chinese');
    expect(llm.requests[0].raw).toContain('ghost.nowhere.svc.cluster.local');
    const again = await api()
      .post(path)
      .set({ ...bearer(viewer), 'Accept-Language': 'zh-CN' })
      .expect(200);
    expect(again.body.data).toMatchObject({
      cached: true,
      findingVersion: first.body.data.findingVersion,
    });
    expect(llm.requests).toHaveLength(1);
    await expect(
      api().post('/api/v1/clusters/ai/diagnostics/NOPE:x:y:z/explain').set(bearer(viewer)),
    ).resolves.toMatchObject({ status: 404 });
  });

  it('never lets a canary Secret value, kubeconfig token, logged bearer token or API key reach the model, the database or the log', async () => {
    llm.play([
      {
        kind: 'tools',
        calls: [
          {
            name: 'get_resource',
            arguments: { kind: 'secrets', name: 'payments-key', namespace: ns },
          },

          {
            name: 'get_resource',
            arguments: { kind: 'configmaps', name: 'deploy-config', namespace: ns },
          },
          { name: 'get_resource', arguments: { kind: 'pods', name: 'checkout', namespace: ns } },
        ],
      },
      {
        kind: 'tools',
        calls: [{ name: 'pod_logs', arguments: { namespace: ns, pod: 'checkout' } }],
      },
      { kind: 'text', text: 'done' },
    ]);
    const session = await newSession();
    const events = await ask(session, 'what is in deploy-config?');
    expect(events.at(-1)!.event).toBe('done');
    const sent = llm.requests.map((r) => r.raw).join('\n');
    // The data was read (so this test can fail): the ConfigMap, the pod's env and the log arrived.
    expect(sent).toContain('prod.canary.example');
    expect(sent).toContain('PAYMENTS_API_TOKEN');
    expect(sent).toContain('payments-key'); // the secretKeyRef names the Secret, never its value
    expect(sent).toContain('calling payments with Authorization');
    expect(sent).toContain('Secrets are not readable by the assistant');
    expect(sent).toContain('[REDACTED]');
    const stream = JSON.stringify(events);
    const db = ['', '-wal', '-shm']
      .map((s) => dbFile + s)
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    expect(db).toContain('prod.canary.example'); // the file is the one in use
    for (const canary of [SECRET_CANARY, KUBECONFIG_CANARY, LOG_BEARER_CANARY, ENV_CANARY]) {
      expect(sent).not.toContain(canary);
      expect(stream).not.toContain(canary);
      expect(db).not.toContain(canary);
      expect(t.rawLogs()).not.toContain(canary);
    }
    expect(sent).not.toContain(API_KEY);
    expect(stream).not.toContain(API_KEY);
    expect(db).not.toContain(API_KEY);
    expect(t.rawLogs()).not.toContain(API_KEY);
  });

  it('counts tokens and cost per provider and model in /metrics', async () => {
    const metrics = await api().get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /cloudpilot_llm_tokens_total\{provider="default",model="scripted-model",type="prompt"\} \d+/,
    );
    expect(metrics.text).toMatch(
      /cloudpilot_llm_cost_usd_total\{provider="default",model="scripted-model"\} [0-9.e-]+/,
    );
    expect(metrics.text).toMatch(
      /cloudpilot_llm_requests_total\{provider="default",model="scripted-model",outcome="LLM_BUDGET_EXCEEDED"\} 2/,
    );
    expect(metrics.text).not.toContain(API_KEY);
  });
});
