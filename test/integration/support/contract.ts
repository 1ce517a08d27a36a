import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, kubectlOk, readKubeconfig } from './test-cluster';

/**
 * The contract suite's moving parts: the pinned fuzzer, a cluster credential that can write only
 * in the suite's own namespace, the built app started as `node dist/main.js`, and one Schemathesis
 * run with its failures cut down to what a reader needs (operation, check, response, curl).
 */

const ROOT = join(__dirname, '..', '..', '..');
export const CONTRACT_ADMIN_TOKEN = `contract-admin-${randomBytes(16).toString('hex')}`;
/**
 * The two Server-Sent Events streams (a followed log, the diagnostics changes) never end, so a
 * fuzzer cannot judge them; everything else is fuzzed. Their per-event schemas (x-sse-events) are
 * held by sse-events.int-spec.ts, which validates real events against the live document.
 */
export const EXCLUDED_PATH = '/(logs|diagnostics)/stream$';

/** Installs (first run) or finds the pinned Schemathesis in ~/.cache/cloudpilot; returns its path. */
export function installSchemathesis(): string {
  const res = spawnSync('bash', [join(ROOT, 'scripts/contract/install-schemathesis.sh')], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (res.status !== 0)
    throw new Error(`installing Schemathesis failed (${res.status}): ${res.stderr || res.error}`);
  return res.stdout.trim().split('\n').pop()!;
}

export interface FuzzerCredential {
  namespace: string;
  /** Kubeconfig text (JSON, inline token and CA) of ServiceAccount contract-fuzzer. */
  kubeconfig: string;
  remove: () => void;
}

/**
 * A ServiceAccount that reads the whole cluster (view, cluster-reader) but writes only in
 * `namespace` (edit and cloudpilot-operator bound there): whatever the fuzzer sends, mutations can
 * reach only objects in the namespace the suite created.
 */
export function fuzzerCredential(namespace: string): FuzzerCredential {
  const sa = `${namespace}:contract-fuzzer`;
  const clusterBindings = ['view', 'cloudpilot-cluster-reader'].map((role) => ({
    role,
    name: `${namespace}-${role}`,
  }));
  kubectlOk('admin', ['create', 'serviceaccount', 'contract-fuzzer', '-n', namespace]);
  for (const role of ['edit', 'cloudpilot-operator'])
    kubectlOk(
      'admin',
      ['create', 'rolebinding', `contract-${role}`, `--clusterrole=${role}`].concat([
        `--serviceaccount=${sa}`,
        '-n',
        namespace,
      ]),
    );
  for (const { role, name } of clusterBindings)
    kubectlOk('admin', [
      'create',
      'clusterrolebinding',
      name,
      `--clusterrole=${role}`,
      `--serviceaccount=${sa}`,
    ]);
  const token = kubectlOk('admin', [
    'create',
    'token',
    'contract-fuzzer',
    '-n',
    namespace,
    '--duration=2h',
  ]).trim();
  const admin = readKubeconfig('admin');
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'contract',
        cluster: {
          server: admin.server,
          'certificate-authority-data': admin.ca.toString('base64'),
        },
      },
    ],
    users: [{ name: 'contract-fuzzer', user: { token } }],
    contexts: [{ name: 'contract', context: { cluster: 'contract', user: 'contract-fuzzer' } }],
    'current-context': 'contract',
  };
  return {
    namespace,
    kubeconfig: JSON.stringify(kubeconfig),
    remove: () => {
      for (const { name } of clusterBindings)
        kubectl('admin', ['delete', 'clusterrolebinding', name, '--ignore-not-found']);
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface BuiltApp {
  url: string;
  /** The cluster id the fuzzer's cluster-scoped paths are pinned to. */
  clusterId: string;
  output: () => string;
  stop: () => Promise<void>;
}

export type Mode = 'server' | 'instant';

/** `node dist/main.js` on a free loopback port, pointed at the test cluster with the fuzzer's credential. */
export async function startBuiltApp(mode: Mode, credential: FuzzerCredential): Promise<BuiltApp> {
  const dir = mkdtempSync(join(tmpdir(), `cloudpilot-contract-${mode}-`));
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}`,
    CLOUDPILOT_ADMIN_TOKEN: CONTRACT_ADMIN_TOKEN,
    CLOUDPILOT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
    LOG_LEVEL: 'warn',
  };
  if (mode === 'instant') {
    writeFileSync(join(dir, 'fuzzer.kubeconfig'), credential.kubeconfig, { mode: 0o600 });
    env.KUBECONFIG = join(dir, 'fuzzer.kubeconfig');
    env.CLOUDPILOT_INSTANT_CLUSTER_NAME = 'contract';
  }
  const args = ['dist/main.js', '--mode', mode, '--host', '127.0.0.1', '--port', String(port)];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'pipe' });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output);
  const app: BuiltApp = {
    url,
    clusterId: 'contract',
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (mode === 'server') {
    const body = { name: 'contract', kubeconfig: credential.kubeconfig };
    await api(app, CONTRACT_ADMIN_TOKEN, 'POST', '/api/v1/clusters', body, 201);
  }
  return app;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited ${child.exitCode}: ${output()}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no /healthz within 60 s: ${output()}`);
}

/** One JSON call that must answer `expected`; returns `data` of the envelope. */
export async function api(
  app: BuiltApp,
  token: string,
  method: string,
  path: string,
  body: unknown,
  expected: number,
): Promise<any> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected)
    throw new Error(
      `${method} ${path}: ${res.status} ${text.slice(0, 500)} (expected ${expected})`,
    );
  return (JSON.parse(text) as { data: unknown }).data;
}

/** An API token of a role, created with the admin token. */
export async function tokenFor(app: BuiltApp, role: 'operator' | 'viewer'): Promise<string> {
  const name = `contract-${role}-${randomBytes(3).toString('hex')}`;
  const created = await api(
    app,
    CONTRACT_ADMIN_TOKEN,
    'POST',
    '/api/v1/auth/tokens',
    { name, role },
    201,
  );
  return (created as { token: string }).token;
}

export interface FuzzOptions {
  token: string;
  namespace: string;
  seed: number;
  maxExamples: number;
  phases: string;
  workers?: number;
  /** A time budget in seconds (fuzzing and stateful testing repeat until it is spent). */
  maxTimeSeconds?: number;
  /** Where the whole Schemathesis output is kept. */
  logFile: string;
  /** Where to record every request and response (a VCR cassette), to count what was really sent. */
  cassette?: string;
  /**
   * Leave cluster ids and namespaces to the fuzzer instead of pinning them to the suite's cluster:
   * nothing is found (404), which measures whether the document alone generates input validation
   * accepts (Schemathesis's "schema validation mismatch" warning with generated ids).
   */
  generatedIds?: boolean;
}

export interface FuzzResult {
  status: number;
  /** Test cases Schemathesis generated (each one request, stateful steps included). */
  testCases: number;
  /** Operations Schemathesis selected from the live document (all but the excluded stream). */
  selected: number;
  /** The failures section (operation, check, response, curl), lines cut to 300 characters. */
  failures: string;
  output: string;
}

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
].join(',');

/**
 * One Schemathesis run over every operation of the live /docs-json. Paths under a cluster are
 * pinned to the suite's cluster and namespace, so fuzzed mutations land only there; the registry's
 * own routes (GET/PATCH/DELETE /clusters/{clusterId}) get generated ids.
 */
export function fuzz(bin: string, app: BuiltApp, options: FuzzOptions): FuzzResult {
  const dir = mkdtempSync(join(tmpdir(), 'cloudpilot-schemathesis-'));
  writeFileSync(
    join(dir, 'schemathesis.toml'),
    [
      // 500 is the server error; 502/503/504 are the catalogue's answers for a dependency that
      // failed (a cluster, the LLM provider), judged like any code by status and schema conformance.
      '[checks.not_a_server_error]',
      'expected-statuses = ["2xx", "3xx", "4xx", "502", "503", "504"]',
      '',
      ...(options.generatedIds
        ? []
        : [
            '[[operations]]',
            'include-path-regex = "^/api/v1/clusters/\\\\{clusterId\\\\}/"',
            `parameters = { "path.clusterId" = "${app.clusterId}", "query.namespace" = "${options.namespace}" }`,
            '',
          ]),
    ].join('\n'),
  );
  const args = [
    '--config-file',
    join(dir, 'schemathesis.toml'),
    'run',
    `${app.url}/docs-json`,
    '--header',
    `Authorization: Bearer ${options.token}`,
    '--checks',
    CHECKS,
    '--exclude-path-regex',
    EXCLUDED_PATH,
    '--seed',
    String(options.seed),
    '--max-examples',
    String(options.maxExamples),
    '--phases',
    options.phases,
    // One worker by default: with two threads, Hypothesis's ast.parse calls race into CPython
    // 3.11's "AST constructor recursion depth mismatch" SystemError (python/cpython#106905), a
    // crash of the fuzzer itself that failed a clean-clone run; one thread cannot hit it.
    '--workers',
    String(options.workers ?? 1),
    '--request-timeout',
    '20',
    '--suppress-health-check',
    'all',
    '--no-shrink',
    '--continue-on-failure',
    // Examples are never replayed from run to run (each run has a fresh directory): don't store them.
    '--generation-database',
    'none',
    ...(options.cassette ? ['--report', 'vcr', '--report-vcr-path', options.cassette] : []),
    ...(options.maxTimeSeconds ? ['--max-time', String(options.maxTimeSeconds)] : []),
  ];
  const res = spawnSync(bin, ['--no-color', ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  rmSync(dir, { recursive: true, force: true });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  writeFileSync(options.logFile, output);
  return {
    status: res.status ?? -1,
    testCases: Number(/(\d+) generated/.exec(output)?.[1] ?? 0),
    selected: Number(/(\d+) selected \//.exec(output)?.[1] ?? 0),
    failures: failuresOf(output),
    output,
  };
}

/** The FAILURES and ERRORS sections (or the tail when there are none). */
function failuresOf(output: string): string {
  const failures = output.indexOf('= FAILURES =');
  const errors = output.indexOf('= ERRORS =');
  const start = [failures, errors].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? -1;
  const end = output.indexOf('= SUMMARY =');
  if (start < 0) return output.split('\n').slice(-60).join('\n');
  return output
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .slice(0, 200)
    .join('\n');
}
