import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignedReceiver } from './signed-receiver';

/** The harness's Alertmanager build: CLOUDPILOT_TELEMETRY_BIN_DIR, else the build cache. */
export function alertmanagerBinary(): string {
  const dir =
    process.env.CLOUDPILOT_TELEMETRY_BIN_DIR ??
    join(homedir(), '.cache', 'cloudpilot', 'telemetry', 'bin');
  const binary = join(dir, 'alertmanager');
  if (!existsSync(binary))
    throw new Error(`no Alertmanager at ${binary}: build it with scripts/cluster/build.sh`);
  return binary;
}

export interface AlertmanagerProcess {
  url: string;
  logs: () => string;
  stop: () => Promise<void>;
}

/**
 * A real Alertmanager on loopback, clustering off, with `config` (YAML text) as its only
 * configuration; resolves once /-/ready answers.
 */
export async function startAlertmanager(config: string): Promise<AlertmanagerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await SignedReceiver.reservePort();
  const child: ChildProcess = spawn(
    alertmanagerBinary(),
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
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
    if (child.exitCode !== null) throw new Error(`Alertmanager exited: ${logs.slice(-2000)}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, logs: () => logs, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Alertmanager never became ready: ${logs.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
