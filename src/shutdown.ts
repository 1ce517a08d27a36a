import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Logger as Pino } from 'pino';

/**
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish for at most `timeoutMs`, then
 * close what is left and the database. A second signal exits at once.
 */
export function installGracefulShutdown(
  app: INestApplication,
  pino: Pino,
  timeoutMs: number,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    pino.info({ signal, timeoutMs }, 'shutting down');
    const server = app.getHttpServer() as Server;
    server.closeIdleConnections();
    const force = setTimeout(() => {
      pino.warn('shutdown deadline reached: closing remaining connections');
      server.closeAllConnections();
    }, timeoutMs);
    force.unref();
    app
      .close()
      .then(() => {
        pino.info('shutdown complete');
        pino.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        pino.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
