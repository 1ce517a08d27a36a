import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_CATALOGUE } from './error-codes';
import { closeDtoBodies } from './openapi-bodies';
import { documentErrorFamilies } from './openapi-errors';
import { APP_VERSION } from './app-version';

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
      'AIOps backend for Kubernetes and Istio. Authorize with a bearer token (viewer < operator < ' +
        "admin), then start with `GET /api/v1/clusters` and a cluster's `/overview` and `/health`. " +
        'Every /api response is an envelope `{ success, code, message, data, requestId, timestamp }`; ' +
        'errors carry a stable `code`. Query parameters an operation does not declare are refused ' +
        '(400 VALIDATION_FAILED), like unknown body properties.\n\n' +
        // Collapsed, so that the operations, not ~60 table rows, fill Swagger UI's first screen.
        `<details><summary>Error codes (${Object.keys(ERROR_CATALOGUE).length}): ` +
        'each code, its HTTP status and meaning</summary>\n\n' +
        '| code | HTTP | meaning |\n|---|---|---|\n' +
        catalogue +
        '\n\n</details>',
    )
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'A CloudPilot API token (cpt_…), a JWT of a configured OIDC issuer, or a registered ' +
        "cluster's ServiceAccount token (see GET /.well-known/oauth-protected-resource)",
    });
  for (const [name, description] of TAGS) config.addTag(name, description);
  const document = SwaggerModule.createDocument(app, config.build(), {
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return closeDtoBodies(documentErrorFamilies(document));
}

/** Swagger UI shows tags in this order: what a newcomer looks at first, administration last. */
const TAGS: ReadonlyArray<[string, string]> = [
  ['clusters', 'Register clusters (server mode) and test their connections'],
  ['overview', 'Fleet and cluster overviews from the live watches'],
  ['diagnostics', 'Findings with evidence and suggested fixes, health scores'],
  ['resources', 'Browse any kind the cluster serves'],
  ['events', 'Events, repeats folded'],
  ['logs', 'Container logs: text, download, follow'],
  ['actions', 'Scale, restart, evict, cordon, server-side apply (dry-runnable, audited)'],
  ['istio', 'Istio Gateways, VirtualServices, DestinationRules and their validation'],
  ['gateway-api', 'Gateway API objects, read-only, with findings'],
  ['telemetry', 'Golden signals, Kiali-style health and the service graph from Prometheus'],
  ['forecasts', 'When a cluster runs out of capacity'],
  ['history', 'Stored per-tick samples'],
  ['changes', 'The change timeline from the watches, and the ranked suspects of a finding'],
  ['llm', 'The assistant: sessions, proposals a person approves, explanations'],
  ['notifications', 'Routes to webhooks, CloudEvents, Slack and Alertmanager; the outbox'],
  ['integrations', 'Alerts in from Alertmanager, linked to findings'],
  ['auth', 'API tokens'],
  ['audit', 'Audit log of mutating requests'],
  ['system', 'Effective configuration and version'],
  ['health', 'Liveness and readiness (public)'],
];

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
