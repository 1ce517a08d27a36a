import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/config-loader';
import { createPinoLogger } from '../../../src/logging/pino-logger';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdefghijklmnopqrstuv';

export interface TestApp {
  app: NestExpressApplication;
  http: () => ReturnType<typeof request>;
  /** The raw log output, for "never appears" assertions. */
  rawLogs: () => string;
  close: () => Promise<void>;
}

/** Boots the real AppModule exactly as main.ts does, with logs captured in memory. */
export async function startTestApp(
  options: { argv?: string[]; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const env = {
    DATABASE_URL: 'sqlite::memory:',
    CLOUDPILOT_ADMIN_TOKEN: ADMIN_TOKEN,
    CLOUDPILOT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const loaded = loadConfig(options.argv ?? [], env);
  let raw = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      done();
    },
  });
  const app = await createApp(loaded, createPinoLogger(loaded.config, sink));
  return {
    app,
    http: () => request(app.getHttpServer()),
    rawLogs: () => raw,
    close: () => app.close(),
  };
}

export function parsedLogs(testApp: TestApp): Array<Record<string, unknown>> {
  const text = testApp.rawLogs().trim();
  return text ? text.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) : [];
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
