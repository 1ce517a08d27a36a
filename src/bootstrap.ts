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
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  mountOpenApi(app, await createOpenApiDocument(app));
  await app.init();
  return app;
}
