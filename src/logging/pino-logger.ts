import pino, { Logger as Pino } from 'pino';
import type { AppConfig } from '../config/config.types';
import { requestContext } from '../common/request-context';
import { createRedactor } from './redaction';

/** Structured JSON lines with the request id and route of the request being served, if any. */
export function createPinoLogger(
  config: AppConfig,
  destination: pino.DestinationStream = batchedStdout(),
): Pino {
  const redact = createRedactor(
    [
      config.auth.adminToken,
      config.kubernetes.token,
      config.llm.apiKey,
      passwordOf(config.database.url),
    ].filter((s): s is string => typeof s === 'string'),
  );
  return pino(
    {
      level: config.log.level,
      base: { service: 'cloudpilot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'req.headers.authorization',
          '*.authorization',
          '*.token',
          '*.password',
          '*.apiKey',
          '*.secret',
        ],
        censor: '[REDACTED]',
      },
      mixin() {
        const ctx = requestContext.current();
        return ctx ? { requestId: ctx.requestId, route: ctx.route ?? ctx.path } : {};
      },
      hooks: {
        streamWrite: redact,
      },
    },
    destination,
  );
}

/** The longest a log line waits in the buffer before it is written. */
const LOG_FLUSH_MS = 1000;

/**
 * Standard output written in batches of about 4 KiB, and at least every LOG_FLUSH_MS: one write(2)
 * per access-log line was a tenth of an overview request's cost. Lines still buffered are written
 * at exit (pino registers that for an asynchronous destination) and at graceful shutdown.
 */
function batchedStdout(): pino.DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Destroyed at exit: nothing left to write.
    }
  }, LOG_FLUSH_MS).unref();
  return stream;
}

function passwordOf(url: string): string | undefined {
  const match = /^[a-z]+:\/\/[^:/@]+:([^@]+)@/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}
