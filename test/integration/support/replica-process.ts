import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** One replica: the built app (node dist/main.js) as its own process on a free loopback port. */
export interface ReplicaProcess {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  logs: () => string;
  /** kill -9: no shutdown hook runs, the database session dies with the process. */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve()
      : child.once('exit', () => resolve()),
  );
}

/**
 * Starts a replica with only the given environment (plus PATH/HOME) and waits until /readyz is 200.
 * `port`: its public port, when the caller hands out ports itself (a free port probed here may be
 * the one the caller just probed for another listener of the replicas).
 */
export async function startReplica(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  port?: number,
): Promise<ReplicaProcess> {
  port ??= await freePort();
  const root = join(__dirname, '..', '..', '..');
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js'), '--port', String(port)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  const replica: ReplicaProcess = {
    name,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    logs: () => logs,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`replica ${name} exited: ${logs.slice(-2000)}`);
    const status = await fetch(`${replica.baseUrl}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return replica;
    if (Date.now() > deadline) {
      await replica.stop();
      throw new Error(`replica ${name} never became ready: ${logs.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
