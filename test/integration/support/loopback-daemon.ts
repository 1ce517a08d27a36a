import { ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/** A Prometheus-family daemon the test started on loopback, with its logs and its end. */
export interface LoopbackDaemon {
  url: string;
  logs: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `binary` with `args` (its own `--web.listen-address=127.0.0.1:port` among them), keeping
 * its output, and resolves once `/-/ready` answers (Prometheus and Alertmanager share it). `dir`,
 * its configuration and data, is removed when it stops, or when it never became ready.
 */
export async function startLoopbackDaemon(
  name: string,
  binary: string,
  args: string[],
  dir: string,
  port: number,
): Promise<LoopbackDaemon> {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${logs.slice(-2000)}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, logs: () => logs, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} never became ready: ${logs.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
