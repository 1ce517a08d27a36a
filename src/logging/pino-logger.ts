import pino, { Logger as Pino } from 'pino';
import type { AppConfig } from '../config/config.types';
import { requestContext } from '../common/request-context';
import { createRedactor } from './redaction';

/** Structured JSON lines with the request id and route of the request being served, if any. */
export function createPinoLogger(
  config: AppConfig,
  destination: pino.DestinationStream = pino.destination(1),
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

function passwordOf(url: string): string | undefined {
  const match = /^[a-z]+:\/\/[^:/@]+:([^@]+)@/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}
