import 'reflect-metadata';
import { createApp } from './bootstrap';
import { rotateKeyCommand } from './cli/rotate-key.command';
import { StartupError } from './common/startup-error';
import { helpText, loadConfig } from './config/config-loader';
import { ConfigValidationError } from './config/config.types';
import { createPinoLogger } from './logging/pino-logger';
import { installGracefulShutdown } from './shutdown';

/** CLI entry: parse flags and environment into a config, start the app. Nothing else lives here. */
async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'rotate-encryption-key') {
    process.stdout.write(`${await rotateKeyCommand(rest)}\n`);
    return;
  }
  const loaded = loadConfig(process.argv.slice(2));
  if (loaded.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  const pino = createPinoLogger(loaded.config);
  if (loaded.config.auth.mode === 'none') {
    pino.warn(
      'AUTHENTICATION IS DISABLED (--auth none): every request is admin. Development only, bound to 127.0.0.1.',
    );
  }
  const app = await createApp(loaded, pino);
  const { host, port, shutdownTimeoutSeconds } = loaded.config.server;
  await app.listen(port, host);
  installGracefulShutdown(app, pino, shutdownTimeoutSeconds * 1000);
  pino.info(
    {
      mode: loaded.config.mode,
      url: `http://${host}:${port}`,
      docs: `http://${host}:${port}/docs`,
    },
    'CloudPilot is listening',
  );
}

/** Operator mistakes (configuration, keys, cluster source) exit 2 with one line each, no stack. */
main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    for (const p of error.problems)
      process.stderr.write(`config error: ${p.key} (${p.origin}): ${p.message}\n`);
    process.exit(2);
  }
  if (error instanceof StartupError) {
    process.stderr.write(`CloudPilot cannot start: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`CloudPilot failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
