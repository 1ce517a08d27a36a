// Runs the @nestjs/swagger compiler plugin over src/ and writes src/metadata.ts: the DTO schemas
// the plugin would inline during `nest build`. Jest (swc) cannot run the plugin, so the app loads
// this file instead; generated before every build and test run, never committed.
// Controllers are not introspected (same option as nest-cli.json): @ApiEndpoint() alone declares
// responses, so the plugin cannot add a bare-DTO response beside the envelope.
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js';
import { ReadonlyVisitor } from '@nestjs/swagger/plugin';
import { rmSync } from 'node:fs';

// The generator type-checks src/, this file included: a metadata.ts left by another checkout
// (a DTO renamed or removed since) would fail the check it is about to replace.
rmSync(`${process.cwd()}/src/metadata.ts`, { force: true });

const generator = new PluginMetadataGenerator();
generator.generate({
  visitors: [
    new ReadonlyVisitor({
      introspectComments: true,
      classValidatorShim: true,
      controllerFileNameSuffix: ['.openapi-from-api-endpoint-only.ts'],
      pathToSource: `${process.cwd()}/src`,
    }),
  ],
  outputDir: `${process.cwd()}/src`,
  filename: 'metadata.ts',
  tsconfigPath: 'tsconfig.json',
  printDiagnostics: false,
});
