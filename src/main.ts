import 'reflect-metadata';
import { createApp } from './bootstrap';
import { helpText, loadConfig } from './config/config-loader';
import { ConfigValidationError } from './config/config.types';
import { createPinoLogger } from './logging/pino-logger';
import { installGracefulShutdown } from './shutdown';

/** CLI entry: parse flags and environment into a config, start the app. Nothing else lives here. */
async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      for (const p of error.problems) process.stderr.write(`config error: ${p.key} (${p.origin}): ${p.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (loaded.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  const pino = createPinoLogger(loaded.config);
  if (loaded.config.auth.mode === 'none') {
    pino.warn('AUTHENTICATION IS DISABLED (--auth none): every request is admin. Development only, bound to 127.0.0.1.');
  }
  const app = await createApp(loaded, pino);
  const { host, port, shutdownTimeoutSeconds } = loaded.config.server;
  await app.listen(port, host);
  installGracefulShutdown(app, pino, shutdownTimeoutSeconds * 1000);
  pino.info({ mode: loaded.config.mode, url: `http://${host}:${port}`, docs: `http://${host}:${port}/docs` }, 'CloudPilot is listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`CloudPilot failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
