import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { parsedLogs } from '../e2e/support/test-app';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

const SECRET_CANARY = 'mcp-canary-secret-value-3c9d1e7f';

jest.setTimeout(60_000);

describe('the MCP endpoint, through the SDK client, against the real cluster', () => {
  let t: TestApp;
  let url: URL;
  let ns: string;
  let viewer: string;

  const connect = async (token?: string) => {
    const client = new Client({ name: 'cloudpilot-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: token ? bearer(token) : {} },
    });
    await client.connect(transport);
    return client;
  };
  const text = (result: any) =>
    (result.content as Array<{ text: string }>).map((c) => c.text).join('');

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'mcp');
    viewer = (
      await t
        .http()
        .post('/api/v1/auth/tokens')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'mcp-viewer', role: 'viewer' })
    ).body.data.token;
    ns = createNamespace('mcp');
    kubectlOk('admin', [
      'create',
      'secret',
      'generic',
      'db',
      '-n',
      ns,
      `--from-literal=password=${SECRET_CANARY}`,
    ]);
    kubectlOk('admin', ['create', 'deployment', 'web', '-n', ns, '--image=registry.example/web:1']);
    await t.app.listen(0, '127.0.0.1');
    url = new URL(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/mcp`);
  }, 90_000);
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  it('lists the read tools (nothing that changes the cluster) and the clusters resource', async () => {
    const client = await connect(viewer);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual([
        'cluster_health',
        'cluster_overview',
        'diagnostics_findings',
        'finding_suspects',
        'get_resource',
        'istio_validations',
        'list_events',
        'list_namespaces',
        'list_nodes',
        'list_resources',
        'pod_logs',
        'query_metrics',
        'recent_changes',
        'service_graph',
        'service_health',
      ]);
      for (const tool of tools) {
        expect(tool.inputSchema.required).toContain('clusterId');
        expect(tool.annotations?.readOnlyHint).toBe(true);
      }
      const resource = await client.readResource({ uri: 'cloudpilot://clusters' });
      expect(JSON.parse((resource.contents[0] as { text: string }).text)).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'mcp' })]),
      );
    } finally {
      await client.close();
    }
  });

  it('calls every tool with a viewer token and sees the real cluster; errors are tool errors', async () => {
    const client = await connect(viewer);
    const call = async (name: string, args: Record<string, unknown>) =>
      client.callTool({ name, arguments: { clusterId: 'mcp', ...args } });
    try {
      expect(text(await call('cluster_overview', {}))).toMatch(/"nodes"/);
      expect(text(await call('list_namespaces', {}))).toContain(ns);
      expect(text(await call('list_nodes', {}))).toMatch(/kwok-node|"name"/);
      expect(text(await call('list_resources', { kind: 'deployments', namespace: ns }))).toContain(
        '"web"',
      );
      expect(
        text(await call('get_resource', { kind: 'deployments', name: 'web', namespace: ns })),
      ).toContain('registry.example/web:1');
      expect(await call('list_events', { namespace: ns })).toMatchObject({ isError: false });
      expect(await call('istio_validations', { namespace: ns })).toMatchObject({ isError: false });
      expect(text(await call('diagnostics_findings', { namespace: ns }))).toMatch(/"items"/);
      // A cluster with many findings (other suites' leftovers) gets the answer truncated, its
      // partial JSON quoted inside the envelope: the score is there either way.
      expect(text(await call('cluster_health', {}))).toMatch(/\\?"score\\?":/);
      // No Prometheus source for this cluster: a state in the answer, not a tool error.
      for (const [tool, args] of [
        ['service_health', { namespace: ns }],
        ['service_graph', {}],
        ['query_metrics', { query: 'up' }],
      ] as const) {
        const result = await call(tool, args);
        expect([tool, result.isError, text(result)]).toEqual([
          tool,
          false,
          expect.stringContaining('"notConfigured"'),
        ]);
      }
      const missing = await call('pod_logs', { namespace: ns, pod: 'nope' });
      expect(missing).toMatchObject({ isError: true });
      expect(text(missing)).toContain('K8S_NOT_FOUND');
      const unknownCluster = await client.callTool({
        name: 'list_nodes',
        arguments: { clusterId: 'no-such' },
      });
      expect(unknownCluster).toMatchObject({ isError: true });
      expect(text(unknownCluster)).toContain('CLUSTER_NOT_FOUND');
      // The session survives errors: one more call works.
      expect(text(await call('list_namespaces', {}))).toContain(ns);
    } finally {
      await client.close();
    }
  });

  it('never returns a Secret value', async () => {
    const client = await connect(viewer);
    try {
      const results = [
        await client.callTool({
          name: 'get_resource',
          arguments: { clusterId: 'mcp', kind: 'secrets', name: 'db', namespace: ns },
        }),
        await client.callTool({
          name: 'list_resources',
          arguments: { clusterId: 'mcp', kind: 'secrets', namespace: ns },
        }),
      ];
      for (const r of results) {
        expect(r).toMatchObject({ isError: true });
        expect(text(r)).not.toContain(SECRET_CANARY);
        expect(text(r)).not.toContain(Buffer.from(SECRET_CANARY).toString('base64'));
      }
      expect(t.rawLogs()).not.toContain(SECRET_CANARY);
    } finally {
      await client.close();
    }
  });

  it('refuses a request without a valid token with a JSON-RPC error and HTTP 401', async () => {
    await expect(connect()).rejects.toThrow(/401|Unauthorized/);
    await expect(connect('cpt_0000000000000000_bad')).rejects.toThrow(/401|Unauthorized/);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    await expect(res.json()).resolves.toMatchObject({ jsonrpc: '2.0', error: { code: -32001 } });
  });

  it('logs every call with the request id, and counts it in /metrics', async () => {
    const calls = parsedLogs(t).filter((l) => l.msg === 'mcp tool call');
    expect(calls.length).toBeGreaterThanOrEqual(10);
    for (const line of calls)
      expect(line).toMatchObject({ requestId: expect.any(String), route: '/mcp' });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /cloudpilot_llm_tool_calls_total\{tool="list_namespaces",outcome="ok",via="mcp"\} [2-9]/,
    );
    expect(metrics.text).toMatch(
      /cloudpilot_llm_tool_calls_total\{tool="pod_logs",outcome="K8S_NOT_FOUND",via="mcp"\} 1/,
    );
  });
});
