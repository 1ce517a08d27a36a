import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/**
 * Stops and restarts one component of a test cluster's real control plane (kwokctl's binary
 * runtime runs each as a local process), and talks to its etcd directly, to produce outages and
 * 410 Gone on purpose. Everything stays on loopback.
 */

function clusterDir(cluster: string): string {
  return join(process.env.CLOUDPILOT_REPO_ROOT!, '.cloudpilot', 'kwok', 'clusters', cluster);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The etcd URL a running cluster's kube-apiserver uses (from its command line). */
export function etcdUrlOf(cluster: string): string {
  const pid = Number(
    readFileSync(join(clusterDir(cluster), 'pids', 'kube-apiserver.pid'), 'utf8').trim(),
  );
  const arg = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .find((a) => a.startsWith('--etcd-servers='));
  if (!arg) throw new Error(`kube-apiserver of ${cluster} has no --etcd-servers`);
  return arg.split('=')[1].split(',')[0];
}

export interface StoppedComponent {
  /** The etcd URL the API server was using (from its command line). */
  etcdUrl: string | undefined;
  /** Starts the component again with the same command line, environment and working directory. */
  start(): void;
}

/** Kills kube-apiserver (SIGTERM, then waits for the exit) and returns how to start it again. */
export async function stopApiServer(cluster: string): Promise<StoppedComponent> {
  const dir = clusterDir(cluster);
  const pidFile = join(dir, 'pids', 'kube-apiserver.pid');
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const etcdUrl = argv
    .find((a) => a.startsWith('--etcd-servers='))
    ?.split('=')[1]
    .split(',')[0];
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && isAlive(pid); i += 1) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  return {
    etcdUrl,
    start() {
      const log = openSync(join(dir, 'logs', 'kube-apiserver.log'), 'a');
      const child = spawn(argv[0], argv.slice(1), {
        cwd: dir,
        env,
        detached: true,
        stdio: ['ignore', log, log],
      });
      child.unref();
      // kwokctl stops the cluster by this file: keep it pointing at the live process.
      writeFileSync(pidFile, String(child.pid));
    },
  };
}

function etcdPost(etcdUrl: string, path: string, body: unknown): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, etcdUrl),
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text))
            : reject(new Error(`etcd ${path}: ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * Advances etcd's revision with a key outside the API server's prefix and compacts everything
 * before it: any watch resuming from an older resourceVersion is then answered 410 Gone.
 */
export async function compactEtcd(etcdUrl: string): Promise<number> {
  const key = Buffer.from('/cloudpilot-test/compaction').toString('base64');
  const put = await etcdPost(etcdUrl, '/v3/kv/put', {
    key,
    value: Buffer.from(String(Date.now())).toString('base64'),
  });
  const revision = Number(put.header.revision);
  await etcdPost(etcdUrl, '/v3/kv/compaction', { revision, physical: true });
  return revision;
}
