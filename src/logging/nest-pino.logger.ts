import { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';
import { StartupError } from '../common/startup-error';

/**
 * Routes Nest's Logger calls into pino. Nest passes (message, ...optionalParams, context); an
 * object message becomes the structured fields of the line.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  // Nest's level names, each to pino's; `verbose` is pino's `trace`.
  log = (message: unknown, ...rest: unknown[]): void => this.write('info', message, rest);
  error = (message: unknown, ...rest: unknown[]): void => this.write('error', message, rest);
  warn = (message: unknown, ...rest: unknown[]): void => this.write('warn', message, rest);
  debug = (message: unknown, ...rest: unknown[]): void => this.write('debug', message, rest);
  verbose = (message: unknown, ...rest: unknown[]): void => this.write('trace', message, rest);
  fatal = (message: unknown, ...rest: unknown[]): void => this.write('fatal', message, rest);

  private write(
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
    message: unknown,
    rest: unknown[],
  ): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const text = typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) }, text);
      return;
    }
    if (message instanceof StartupError) {
      // An operator mistake, printed by main.ts as one line: a stack would only bury it.
      this.pino[level]({ ...fields, err: { type: message.name } }, message.message);
      return;
    }
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
      return;
    }
    // Nest's own error calls pass a stack trace as the second argument.
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest[0];
    this.pino[level](fields, String(message));
  }
}
