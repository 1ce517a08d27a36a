// Jest runs everything as CommonJS. @nestjs/* 12, @kubernetes/client-node 2 and several of their
// dependencies are published as ESM only, and Jest's module loader (unlike Node 24's) cannot
// require() ESM. So @swc/jest transforms them too: the exception list below is every installed
// package that declares "type": "module", computed once per run so a dependency update never
// silently breaks the suite.
const fs = require('node:fs');
const path = require('node:path');

function esmPackages(dir = path.join(__dirname, 'node_modules'), found = new Set()) {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (entry.startsWith('@')) {
      esmPackages(full, found);
      continue;
    }
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(full, 'package.json'), 'utf8'));
      if (pkg.type === 'module' && pkg.name) found.add(pkg.name);
    } catch {
      // not a package folder
    }
    esmPackages(path.join(full, 'node_modules'), found);
  }
  return found;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const esm = [...esmPackages()].map(escape).join('|');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // Only the innermost node_modules segment decides, so an ESM package nested under a CommonJS one is still transformed.
  transformIgnorePatterns: [`/node_modules/(?!(${esm})/)(?!.*/node_modules/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // The test clusters' state (etcd snapshots) lives there; it is not source.
  modulePathIgnorePatterns: ['<rootDir>/.cloudpilot/', '<rootDir>/dist/'],
  // Sources import siblings as './x.js' (nodenext); under Jest the .ts file is what exists.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/setup/reflect-metadata.cjs'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/slow-suites.cjs'],
    },
    {
      ...shared,
      displayName: 'integration',
      setupFilesAfterEnv: ['<rootDir>/test/setup/slow-suites.cjs'],
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/setup/cluster-global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/cluster-global-teardown.mjs',
    },
  ],
};
