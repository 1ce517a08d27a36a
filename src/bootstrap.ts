import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger as Pino } from 'pino';
import { AppModule } from './app.module';
import { createOpenApiDocument, mountOpenApi } from './common/openapi';
import { LoadedConfig } from './config/config-loader';
import { NestPinoLogger } from './logging/nest-pino.logger';

const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Builds the fully configured application without listening, so main.ts and the e2e tests start
 * exactly the same thing.
 */
export async function createApp(loaded: LoadedConfig, pino: Pino): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(loaded, pino), {
    // Body parsing is done by BodyParserMiddleware so its errors reach the envelope.
    bodyParser: false,
    logger: new NestPinoLogger(pino),
    abortOnError: false,
  });
  // The longest URL the document allows (continue token, two selectors, names, percent-encoded)
  // exceeds Node's 16 KiB header default, which Node answers itself with a bare 431.
  Object.assign(app.getHttpServer(), { maxHeaderSize: MAX_HEADER_BYTES });
  app.disable('x-powered-by');
  // Every envelope carries its request id and time, so no two answers share an ETag and no
  // conditional GET could ever be a 304: hashing each body for one was pure cost.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  mountOpenApi(app, await createOpenApiDocument(app));
  await app.init();
  return app;
}
