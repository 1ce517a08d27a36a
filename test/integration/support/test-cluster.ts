import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

/** A role with its own kubeconfig in the test cluster (see scripts/cluster/lib.mjs). */
export type ClusterRole = 'admin' | 'viewer' | 'operator';

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run integration suites through Jest's integration project`,
    );
  return value;
}

export const testCluster = {
  get name(): string {
    return requiredEnv('CLOUDPILOT_TEST_CLUSTER');
  },
  get kubeconfigDir(): string {
    return requiredEnv('CLOUDPILOT_TEST_KUBECONFIG_DIR');
  },
  kubeconfigPath(role: ClusterRole, dir?: string): string {
    return join(dir ?? requiredEnv('CLOUDPILOT_TEST_KUBECONFIG_DIR'), `${role}.kubeconfig`);
  },
};

/** Runs kubectl with a role's kubeconfig; never throws, so tests can assert on failures. */
export function kubectl(
  role: ClusterRole,
  args: string[],
  opts: { input?: string; kubeconfigDir?: string; timeoutMs?: number } = {},
): CommandResult {
  const res = spawnSync(
    requiredEnv('CLOUDPILOT_TEST_KUBECTL'),
    ['--kubeconfig', testCluster.kubeconfigPath(role, opts.kubeconfigDir), ...args],
    { input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000 },
  );
  return {
    status: res.status ?? -1,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? String(res.error ?? ''),
  };
}

/** kubectl that must succeed; returns stdout. */
export function kubectlOk(
  role: ClusterRole,
  args: string[],
  opts: { input?: string; kubeconfigDir?: string } = {},
): string {
  const res = kubectl(role, args, opts);
  if (res.status !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed (${res.status}): ${res.stderr.trim()}`);
  return res.stdout;
}

/** Runs the cluster CLI (scripts/cluster/cli.mjs) with the Node that runs the tests. */
export function clusterCli(args: string[], timeoutMs = 300_000): CommandResult {
  const root = requiredEnv('CLOUDPILOT_REPO_ROOT');
  const res = spawnSync(process.execPath, [join(root, 'scripts/cluster/cli.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return {
    status: res.status ?? -1,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? String(res.error ?? ''),
  };
}

/** Creates a namespace with a random suffix; delete it in afterAll with deleteNamespace. */
export function createNamespace(prefix: string): string {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  kubectlOk('admin', ['create', 'namespace', name]);
  // Pods need the namespace's default ServiceAccount, which controller-manager adds shortly after.
  const wait = kubectl('admin', [
    'wait',
    '-n',
    name,
    '--for=create',
    'serviceaccount/default',
    '--timeout=30s',
  ]);
  if (wait.status !== 0)
    throw new Error(`namespace ${name}: default ServiceAccount never appeared: ${wait.stderr}`);
  return name;
}

export function deleteNamespace(name: string): void {
  kubectl('admin', ['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
}

export async function eventually<T>(
  what: string,
  probe: () => T | undefined,
  { timeoutMs = 30_000, intervalMs = 500 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Has KWOK serve `logsFile` as the log of every pod in the namespace (its ClusterLogs resource). */
export function serveLogsFromFile(namespace: string, logsFile: string, follow = true): void {
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterLogs',
      metadata: { name: `${namespace}-logs` },
      spec: { selector: { matchNamespaces: [namespace] }, logs: [{ logsFile, follow }] },
    }),
  });
}

/** Waits until `kubectl logs` of the pod shows `text`: KWOK picks ClusterLogs up through a watch. */
export function untilPodLogShows(namespace: string, pod: string, text: string): Promise<true> {
  return eventually(
    `logs of ${namespace}/${pod} served by KWOK`,
    () => {
      const res = kubectl('admin', ['logs', '-n', namespace, pod]);
      return res.status === 0 && res.stdout.includes(text) ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
}

/** Like eventually, for an async probe (an HTTP call): polls until it answers a value. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

interface InlineKubeconfig {
  server: string;
  ca: Buffer;
  token?: string;
  raw: Record<string, unknown>;
}

/** Reads a kubeconfig written by cluster:up (JSON, inline credentials only). */
export function readKubeconfig(role: ClusterRole, dir?: string): InlineKubeconfig {
  const raw = JSON.parse(readFileSync(testCluster.kubeconfigPath(role, dir), 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token?: string } }[];
  };
  return {
    server: raw.clusters[0].cluster.server,
    ca: Buffer.from(raw.clusters[0].cluster['certificate-authority-data'], 'base64'),
    token: raw.users[0].user.token,
    raw: raw as unknown as Record<string, unknown>,
  };
}

/** One HTTPS call to the API server with a role's token, verifying TLS against the cluster CA. */
export function apiRequest(
  role: ClusterRole,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const config = readKubeconfig(role);
  const url = new URL(apiPath, config.server);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: config.ca,
        headers: {
          Authorization: `Bearer ${config.token}`,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${apiPath} timed out`)));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** GET /readyz without credentials; resolves to the HTTP status, or 0 when nothing answers. */
export function readyzStatus(server: string, ca: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(new URL('/readyz', server), { ca, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
