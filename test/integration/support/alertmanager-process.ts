import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoopbackDaemon, startLoopbackDaemon } from './loopback-daemon';
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

export type AlertmanagerProcess = LoopbackDaemon;

/**
 * A real Alertmanager on loopback, clustering off, with `config` (YAML text) as its only
 * configuration; resolves once /-/ready answers.
 */
export async function startAlertmanager(config: string): Promise<AlertmanagerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await SignedReceiver.reservePort();
  return startLoopbackDaemon(
    'Alertmanager',
    alertmanagerBinary(),
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    dir,
    port,
  );
}
