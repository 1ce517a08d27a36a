import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { alertmanagerBinary } from './alertmanager-process';
import { SignedReceiver } from './signed-receiver';

export interface PrometheusProcess {
  url: string;
  logs: () => string;
  stop: () => Promise<void>;
}

/** The harness's Prometheus build (next to its Alertmanager) with these files as its config. */
export async function startPrometheus(files: {
  config: (dir: string) => string;
  rules: string;
}): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-prometheus-'));
  writeFileSync(join(dir, 'rules.yml'), files.rules);
  writeFileSync(join(dir, 'prometheus.yml'), files.config(dir));
  const port = await SignedReceiver.reservePort();
  const child: ChildProcess = spawn(
    join(dirname(alertmanagerBinary()), 'prometheus'),
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
    if (child.exitCode !== null) throw new Error(`Prometheus exited: ${logs.slice(-2000)}`);
    if (
      await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, logs: () => logs, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus never became ready: ${logs.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
