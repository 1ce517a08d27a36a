import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { parseSse, ScriptedLlm } from '../support/scripted-llm';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

jest.setTimeout(90_000);

/**
 * Principals beyond API tokens, against the real cluster: its kube-apiserver is the issuer of
 * ServiceAccount tokens (`kubectl create token --audience`), and the grants of a caller bound what
 * MCP tools and the assistant's tools read for it.
 */
describe('workload identity, MCP and assistant tools within the grants', () => {
  const llm = new ScriptedLlm();
  let t: TestApp;
  let granted: string;
  let hidden: string;
  let alpha: Record<string, any>;
  let beta: Record<string, any>;
  let viewer: string;
  let operator: string;

  const api = () => t.http();
  const saToken = (sa: string, audience = 'cloudpilot') =>
    kubectlOk('admin', ['create', 'token', sa, '-n', granted, '--audience', audience]).trim();

  beforeAll(async () => {
    granted = createNamespace('idn-granted');
    hidden = createNamespace('idn-hidden');
    for (const ns of [granted, hidden])
      kubectlOk('admin', [
        'create',
        'deployment',
        'web',
        '-n',
        ns,
        '--image=registry.example/web:1',
      ]);
    for (const sa of ['bot', 'stranger'])
      kubectlOk('admin', ['create', 'serviceaccount', sa, '-n', granted]);
    t = await startServer({
      CLOUDPILOT_SERVICE_ACCOUNT_AUDIENCE: 'cloudpilot',
      CLOUDPILOT_GRANT_MAPPINGS: JSON.stringify([
        {
          serviceAccount: `system:serviceaccount:${granted}:bot`,
          grants: [{ role: 'viewer', namespaces: [granted] }],
        },
      ]),
      LLM_PROVIDER: 'openai',
      LLM_API_KEY: 'sk-test-access',
      LLM_MODEL: 'scripted-model',
      CLOUDPILOT_LLM_BASE_URL: await llm.start(),
    });
    alpha = await register(t, 'idn-alpha');
    beta = await register(t, 'idn-beta');
    const mint = async (name: string, role: string) =>
      (
        await api()
          .post('/api/v1/auth/tokens')
          .set(bearer(ADMIN_TOKEN))
          .send({ name, role, grants: [{ role, clusters: ['idn-alpha'], namespaces: [granted] }] })
      ).body.data.token as string;
    viewer = await mint('idn-viewer', 'viewer');
    operator = await mint('idn-operator', 'operator');
    await t.app.listen(0, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    deleteNamespace(granted);
    deleteNamespace(hidden);
    await t.close();
    await llm.close();
  });

  describe('ServiceAccount tokens of a registered cluster', () => {
    it('are accepted with the required audience and mapped to grants on the issuing cluster', async () => {
      const token = saToken('bot');
      const me = await api().get('/api/v1/auth/whoami').set(bearer(token));
      expect(me.status).toBe(200);
      expect(me.body.data).toMatchObject({
        kind: 'serviceaccount',
        name: expect.stringMatching(new RegExp(`^system:serviceaccount:${granted}:bot@idn-`)),
        role: 'viewer',
        grants: [{ role: 'viewer', namespaces: [granted], clusters: [expect.any(String)] }],
      });
      const clusterId = me.body.data.grants[0].clusters[0];
      const own = await api()
        .get(`/api/v1/clusters/${clusterId}/resources/deployments?namespace=${granted}`)
        .set(bearer(token));
      expect(own.status).toBe(200);
      expect(JSON.stringify(own.body)).toContain('"web"');
      await expect(
        api()
          .get(`/api/v1/clusters/${clusterId}/resources/deployments?namespace=${hidden}`)
          .set(bearer(token)),
      ).resolves.toMatchObject({ status: 404, body: { code: 'OUT_OF_SCOPE' } });
    });

    it('are refused with a clear code: wrong audience, no mapping, tampered', async () => {
      const refused = async (token: string, code: string) => {
        const res = await api().get('/api/v1/auth/whoami').set(bearer(token));
        expect([res.status, res.body.code]).toEqual([401, code]);
      };
      await refused(saToken('bot', 'someone-else'), 'TOKEN_AUDIENCE_INVALID');
      await refused(saToken('stranger'), 'TOKEN_NO_GRANTS');
      const [header, payload, signature] = saToken('bot').split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      claims.sub = `system:serviceaccount:${granted}:bot`;
      claims.extra = 'forged';
      const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
      await refused(`${header}.${forged}.${signature}`, 'TOKEN_SIGNATURE_INVALID');
    });
  });

  describe('MCP tools run with the caller’s grants', () => {
    let client: Client;
    const text = (result: any) =>
      (result.content as Array<{ text: string }>).map((c) => c.text).join('');

    beforeAll(async () => {
      const port = (t.app.getHttpServer().address() as AddressInfo).port;
      client = new Client({ name: 'access-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
          requestInit: { headers: bearer(viewer) },
        }),
      );
    });
    afterAll(() => client.close());

    const call = (name: string, args: Record<string, unknown>) =>
      client.callTool({ name, arguments: { clusterId: alpha.id, ...args } });

    it('list only the granted namespace and refuse the rest', async () => {
      const all = text(await call('list_resources', { kind: 'deployments' }));
      expect(all).toContain(granted);
      expect(all).not.toContain(hidden);
      const outside = await call('get_resource', {
        kind: 'deployments',
        name: 'web',
        namespace: hidden,
      });
      expect(outside).toMatchObject({ isError: true });
      expect(text(outside)).toContain('OUT_OF_SCOPE');
      expect(text(await call('cluster_overview', {}))).toContain('OUT_OF_SCOPE');
      const namespaces = text(await call('list_namespaces', {}));
      expect(namespaces).toContain(granted);
      expect(namespaces).not.toContain(hidden);
      const other = await call('list_resources', { kind: 'deployments', clusterId: beta.id });
      expect(text(other)).toContain('CLUSTER_NOT_FOUND');
      const resource = await client.readResource({ uri: 'cloudpilot://clusters' });
      const listed = JSON.parse((resource.contents[0] as { text: string }).text);
      expect(listed.map((c: { id: string }) => c.id)).toEqual([alpha.id]);
    });
  });

  it('sends a namespace-scoped SSE reader only the finding events of its namespace', async () => {
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const gone = new AbortController();
    const res = await fetch(
      `http://127.0.0.1:${port}/api/v1/clusters/${alpha.id}/diagnostics/stream`,
      {
        headers: bearer(viewer),
        signal: gone.signal,
      },
    );
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    // A Service selecting no pod is a finding; one in each namespace, in the same evaluation.
    for (const ns of [hidden, granted])
      kubectlOk('admin', ['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'orphan', namespace: ns },
          spec: { selector: { app: 'nobody' }, ports: [{ port: 80 }] },
        }),
      });
    let text = '';
    const deadline = Date.now() + 60_000;
    let settleUntil = Infinity;
    // One read stays pending across the 500 ms polls: a read abandoned to a poll would still take
    // the next chunk and drop it (under load every event and heartbeat was lost that way).
    let pending: ReturnType<typeof reader.read> | undefined;
    try {
      while (Date.now() < Math.min(deadline, settleUntil)) {
        const timeout = new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), 500),
        );
        pending ??= reader.read();
        const result = await Promise.race([pending, timeout]);
        if (result) pending = undefined;
        text += result?.value ?? '';
        // Once ours arrived, wait a little more for anything about the hidden namespace.
        if (settleUntil === Infinity && text.includes(`"namespace":"${granted}"`))
          settleUntil = Date.now() + 3_000;
      }
    } finally {
      gone.abort();
    }
    expect(text).toContain(`"namespace":"${granted}"`);
    expect(text).not.toContain(hidden);
  });

  describe('the assistant runs tools with the session owner’s grants', () => {
    const ask = async (token: string, calls: Array<{ name: string; arguments: unknown }>) => {
      llm.play([
        { kind: 'tools', calls },
        { kind: 'text', text: 'done' },
      ]);
      const session = await api()
        .post('/api/v1/llm/sessions')
        .set(bearer(token))
        .send({ clusterId: alpha.id, title: 'access' });
      expect(session.status).toBe(201);
      const res = await api()
        .post(`/api/v1/llm/sessions/${session.body.data.id}/messages`)
        .set(bearer(token))
        .send({ content: 'look' })
        .buffer(true)
        .parse((stream, done) => {
          let body = '';
          stream.on('data', (c: Buffer) => (body += c.toString()));
          stream.on('end', () => done(null, body));
        });
      return parseSse(res.body as string);
    };

    it('so a session on a cluster outside them is refused as if it did not exist', async () => {
      await expect(
        api().post('/api/v1/llm/sessions').set(bearer(viewer)).send({ clusterId: beta.id }),
      ).resolves.toMatchObject({ status: 404, body: { code: 'CLUSTER_NOT_FOUND' } });
    });

    it('so the model reads nothing outside them', async () => {
      await ask(viewer, [
        { name: 'list_resources', arguments: { kind: 'deployments' } },
        {
          name: 'get_resource',
          arguments: { kind: 'deployments', name: 'web', namespace: hidden },
        },
      ]);
      const toModel = llm.requests[1].raw;
      expect(toModel).toContain(granted);
      expect(toModel).not.toContain(`"namespace":"${hidden}"`);
      expect(toModel).toContain('OUT_OF_SCOPE');
    });

    it('and a proposal outside them is refused, to draft and to approve', async () => {
      const events = await ask(operator, [
        {
          name: 'propose_scale',
          arguments: {
            kind: 'deployments',
            namespace: hidden,
            name: 'web',
            replicas: 3,
            reason: 'more capacity',
          },
        },
      ]);
      expect(events.find((e) => e.event === 'proposal')).toBeUndefined();
      expect(llm.requests[1].raw).toContain('OUT_OF_SCOPE');

      // The admin's own proposal in the hidden namespace does not exist for the scoped operator.
      const adminEvents = await ask(ADMIN_TOKEN, [
        {
          name: 'propose_scale',
          arguments: {
            kind: 'deployments',
            namespace: hidden,
            name: 'web',
            replicas: 2,
            reason: 'less capacity',
          },
        },
      ]);
      const proposal = adminEvents.find((e) => e.event === 'proposal');
      expect(proposal).toBeDefined();
      const id = proposal!.data.id as string;
      await expect(
        api().post(`/api/v1/llm/proposals/${id}/approve`).set(bearer(operator)),
      ).resolves.toMatchObject({ status: 404 });
      const web = JSON.parse(
        kubectlOk('admin', ['get', 'deployment', 'web', '-n', hidden, '-o', 'json']),
      );
      expect(web.spec.replicas).toBe(1);
    });
  });
});
