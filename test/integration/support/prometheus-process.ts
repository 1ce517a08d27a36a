import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { alertmanagerBinary } from './alertmanager-process';
import { LoopbackDaemon, startLoopbackDaemon } from './loopback-daemon';
import { SignedReceiver } from './signed-receiver';

export type PrometheusProcess = LoopbackDaemon;

/** The harness's Prometheus build (next to its Alertmanager) with these files as its config. */
export async function startPrometheus(files: {
  config: (dir: string) => string;
  rules: string;
}): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-prometheus-'));
  writeFileSync(join(dir, 'rules.yml'), files.rules);
  writeFileSync(join(dir, 'prometheus.yml'), files.config(dir));
  const port = await SignedReceiver.reservePort();
  return startLoopbackDaemon(
    'Prometheus',
    join(dirname(alertmanagerBinary()), 'prometheus'),
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    dir,
    port,
  );
}
