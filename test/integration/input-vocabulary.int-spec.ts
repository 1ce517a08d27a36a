import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AddressInfo } from 'node:net';
import { parseSse, ScriptedLlm } from '../support/scripted-llm';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

jest.setTimeout(60_000);

type Args = Record<string, string>;
/** 'ok', or the error code every edge must answer with. */
type Outcome = string;

const NS = '<ns>';
const query = (args: Args, skip: string[] = []) => {
  const pairs = Object.entries(args).filter(([key]) => !skip.includes(key));
  return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : '';
};
const seg = encodeURIComponent;

/** Each tool and the route that serves the same data, with the tool's arguments as its input. */
const ROUTES: Record<string, (args: Args) => string> = {
  list_resources: (a) => `/resources/${seg(a.kind)}${query(a, ['kind'])}`,
  get_resource: (a) => `/resources/${seg(a.kind)}/${seg(a.name)}${query(a, ['kind', 'name'])}`,
  list_events: (a) => `/events${query(a)}`,
  pod_logs: (a) => `/pods/${seg(a.pod)}/logs${query(a, ['pod'])}`,
  diagnostics_findings: (a) => `/diagnostics${query(a)}`,
};

/** The same inputs to a route, its assistant tool and its MCP tool, and what all three answer. */
const CASES: Array<[string, string, Args, Outcome]> = [
  ['a namespace', 'list_resources', { kind: 'configmaps', namespace: NS }, 'ok'],
  [
    'a namespace with "_"',
    'list_resources',
    { kind: 'configmaps', namespace: 'bad_ns' },
    'VALIDATION_FAILED',
  ],
  [
    'a 64-character namespace',
    'list_resources',
    { kind: 'configmaps', namespace: 'a'.repeat(64) },
    'VALIDATION_FAILED',
  ],
  [
    'a label selector',
    'list_resources',
    { kind: 'configmaps', namespace: NS, labelSelector: 'app=web,tier!=db' },
    'ok',
  ],
  [
    'an unparsable label selector',
    'list_resources',
    { kind: 'configmaps', namespace: NS, labelSelector: 'app in (web' },
    'VALIDATION_FAILED',
  ],
  [
    'a non-ASCII label selector',
    'list_resources',
    { kind: 'configmaps', namespace: NS, labelSelector: 'app=wéb' },
    'VALIDATION_FAILED',
  ],
  ['a kind as plural.group', 'list_resources', { kind: 'deployments.apps', namespace: NS }, 'ok'],
  [
    'a kind starting with "-"',
    'list_resources',
    { kind: '-pods', namespace: NS },
    'VALIDATION_FAILED',
  ],
  [
    'an RBAC name with ":"',
    'get_resource',
    { kind: 'clusterroles', name: 'system:aggregate-to-view' },
    'ok',
  ],
  [
    'a name with a space',
    'get_resource',
    { kind: 'configmaps', name: 'a b', namespace: NS },
    'VALIDATION_FAILED',
  ],
  [
    'a name that is not there',
    'get_resource',
    { kind: 'configmaps', name: 'nope', namespace: NS },
    'K8S_NOT_FOUND',
  ],
  ['a window', 'list_events', { namespace: NS, since: '15m' }, 'ok'],
  ['an ISO-8601 time', 'list_events', { namespace: NS, since: '2026-12-01T10:00:00Z' }, 'ok'],
  [
    'a since that is neither',
    'list_events',
    { namespace: NS, since: 'yesterday' },
    'VALIDATION_FAILED',
  ],
  [
    'a kind name',
    'list_events',
    { namespace: NS, involvedKind: 'Pod', involvedName: 'web-1' },
    'ok',
  ],
  [
    'a kind name starting with a digit',
    'list_events',
    { namespace: NS, involvedKind: '1Pod' },
    'VALIDATION_FAILED',
  ],
  ['a pod that is not there', 'pod_logs', { namespace: NS, pod: 'nope' }, 'K8S_NOT_FOUND'],
  [
    'a container name with "_"',
    'pod_logs',
    { namespace: NS, pod: 'nope', container: 'app_1' },
    'VALIDATION_FAILED',
  ],
  ['a finding code', 'diagnostics_findings', { namespace: NS, code: 'POD_CRASH_LOOP' }, 'ok'],
  [
    'a lower-case finding code',
    'diagnostics_findings',
    { namespace: NS, code: 'pod_crash_loop' },
    'VALIDATION_FAILED',
  ],
];

/** Cluster references: a route's `:clusterId` and an MCP tool's `clusterId` argument. */
const CLUSTER_CASES: Array<[string, string, Outcome]> = [
  ['the cluster name', 'vocab', 'ok'],
  ['the name in capitals', 'VOCAB', 'CLUSTER_NOT_FOUND'],
  ['a name that is not registered', 'no-such', 'CLUSTER_NOT_FOUND'],
  ['a name with "_"', 'bad_id', 'VALIDATION_FAILED'],
  ['a 64-character name', 'a'.repeat(64), 'VALIDATION_FAILED'],
];

describe('one input vocabulary: a route, its assistant tool and its MCP tool take and refuse the same inputs', () => {
  const llm = new ScriptedLlm();
  let t: TestApp;
  let ns: string;
  let mcp: Client;
  let session: string;

  const withNs = (args: Args): Args =>
    Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v === NS ? ns : v]));

  const viaRoute = async (cluster: string, path: string): Promise<Outcome> => {
    const res = await t
      .http()
      .get(`/api/v1/clusters/${seg(cluster)}${path}`)
      .set(bearer(ADMIN_TOKEN));
    return res.status === 200 ? 'ok' : (res.body.code as string);
  };

  const viaMcp = async (name: string, args: Record<string, unknown>): Promise<Outcome> => {
    const result = (await mcp.callTool({ name, arguments: args })) as {
      isError?: boolean;
      content: Array<{ text: string }>;
    };
    if (!result.isError) return 'ok';
    const text = result.content.map((c) => c.text).join('');
    return (JSON.parse(text) as { error: { code: string } }).error.code;
  };

  const viaAssistant = async (name: string, args: Args): Promise<Outcome> => {
    llm.play([
      { kind: 'tools', calls: [{ name, arguments: args }] },
      { kind: 'text', text: 'done' },
    ]);
    const res = await t
      .http()
      .post(`/api/v1/llm/sessions/${session}/messages`)
      .set(bearer(ADMIN_TOKEN))
      .send({ content: `call ${name}` })
      .buffer(true)
      .parse((stream, done) => {
        let text = '';
        stream.on('data', (c: Buffer) => (text += c.toString()));
        stream.on('end', () => done(null, text));
      });
    const result = parseSse(res.body as string).find((e) => e.event === 'tool_result');
    if (!result) throw new Error(`no tool_result: ${String(res.body).slice(0, 500)}`);
    return result.data.ok ? 'ok' : (result.data.errorCode as string);
  };

  beforeAll(async () => {
    const baseUrl = await llm.start();
    t = await startServer({
      LLM_PROVIDER: 'openai',
      LLM_API_KEY: 'sk-test-vocabulary-0123456789',
      LLM_MODEL: 'scripted-model',
      CLOUDPILOT_LLM_BASE_URL: baseUrl,
    });
    await register(t, 'vocab');
    ns = createNamespace('vocab');
    kubectlOk('admin', ['create', 'configmap', 'settings', '-n', ns, '--from-literal=a=b']);
    const created = await t
      .http()
      .post('/api/v1/llm/sessions')
      .set(bearer(ADMIN_TOKEN))
      .send({ clusterId: 'vocab' });
    session = created.body.data.id as string;
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    mcp = new Client({ name: 'vocabulary-test', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
        requestInit: { headers: bearer(ADMIN_TOKEN) },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await mcp?.close();
    deleteNamespace(ns);
    await t?.close();
    await llm.close();
  });

  it.each(CASES)('%s (%s): the same answer from all three', async (_what, tool, raw, expected) => {
    const args = withNs(raw);
    const answers = {
      route: await viaRoute('vocab', ROUTES[tool](args)),
      assistant: await viaAssistant(tool, args),
      mcp: await viaMcp(tool, { clusterId: 'vocab', ...args }),
    };
    expect(answers).toEqual({ route: expected, assistant: expected, mcp: expected });
  });

  it.each(CLUSTER_CASES)(
    '%s as the cluster: the same answer from a route and MCP',
    async (_what, cluster, expected) => {
      const answers = {
        route: await viaRoute(cluster, `/events?namespace=${ns}`),
        mcp: await viaMcp('list_events', { clusterId: cluster, namespace: ns }),
      };
      expect(answers).toEqual({ route: expected, mcp: expected });
    },
  );
});
