import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_CATALOGUE } from './error-codes';
import { closeDtoBodies } from './openapi-bodies';
import { documentErrorFamilies } from './openapi-errors';
import { APP_VERSION } from '../system/version';

/**
 * Builds the OpenAPI 3 document. DTO schemas come from the Swagger CLI plugin; under Jest (swc,
 * no plugin) the same metadata is loaded from src/metadata.ts, which `npm run openapi:metadata`
 * generates with the plugin before tests and builds.
 */
export async function createOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  await loadPluginMetadata();
  const catalogue = Object.entries(ERROR_CATALOGUE)
    .map(([code, { status, description }]) => `| ${code} | ${status} | ${description} |`)
    .join('\n');
  const config = new DocumentBuilder()
    .setTitle('CloudPilot API')
    .setVersion(APP_VERSION)
    .setDescription(
      'AIOps backend for Kubernetes and Istio. Every /api response is an envelope ' +
        '`{ success, code, message, data, requestId, timestamp }`. ' +
        'Query parameters an operation does not declare are refused (400 VALIDATION_FAILED), like ' +
        'unknown body properties.\n\n| code | HTTP | meaning |\n|---|---|---|\n' +
        catalogue,
    )
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'A CloudPilot API token (cpt_…)',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return closeDtoBodies(documentErrorFamilies(document));
}

type MetadataFn = () => Promise<Record<string, any>>;

async function loadPluginMetadata(): Promise<void> {
  // A non-literal specifier: the file is generated, so the type checker must not require it.
  const generated = '../metadata.js';
  try {
    const loaded = (await import(generated)) as { default: MetadataFn | { default: MetadataFn } };
    // Compiled to CommonJS, the module namespace wraps module.exports once more.
    const metadata = typeof loaded.default === 'function' ? loaded.default : loaded.default.default;
    await SwaggerModule.loadPluginMetadata(metadata);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // Built by `nest build`: the plugin already inlined the metadata.
  }
}

export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'CloudPilot API',
  });
}
