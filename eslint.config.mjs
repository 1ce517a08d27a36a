// Lint rules that carry the architecture (../shared/STYLE.md): exactly one adapter touches each
// outside system, so value imports of their SDKs are allowed only inside that adapter's folder.
import eslint from '@eslint/js';
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

// Each outside system has one adapter folder; only it may import that system's SDK as a value.
const ADAPTERS = [
  { folder: 'kubernetes', sdks: ['@kubernetes/client-node', 'undici'] },
  { folder: 'database', sdks: ['pg', 'better-sqlite3'] },
  { folder: 'llm', sdks: ['openai'] },
  { folder: 'mcp', sdks: ['@modelcontextprotocol/sdk'] },
  // Token verification is auth's: one place checks signatures, algorithms and claims.
  { folder: 'auth', sdks: ['jose'] },
  // Prometheus's query API: undici for an agent whose sockets resolve through the address guard.
  { folder: 'telemetry', sdks: ['undici'] },
];

/** The SDK rule for files in `folder` (undefined: any other folder): every SDK but its own. */
function sdkRule(folder) {
  const own = new Set(ADAPTERS.filter((a) => a.folder === folder).flatMap((a) => a.sdks));
  const foreign = ADAPTERS.filter((adapter) => adapter.folder !== folder).map((adapter) => ({
    ...adapter,
    sdks: adapter.sdks.filter((name) => !own.has(name)),
  }));
  const message = (owner) => `Only src/${owner}/ may import this SDK: depend on the adapter.`;
  return [
    'error',
    {
      paths: foreign.flatMap(({ folder: owner, sdks }) =>
        sdks.map((name) => ({ name, allowTypeImports: true, message: message(owner) })),
      ),
      patterns: foreign.flatMap(({ folder: owner, sdks }) =>
        sdks.map((name) => ({
          group: [`${name}/*`],
          allowTypeImports: true,
          message: message(owner),
        })),
      ),
    },
  ];
}

function adapterRules() {
  return [
    { files: ['src/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': sdkRule() } },
    ...ADAPTERS.map(({ folder }) => ({
      files: [`src/${folder}/**/*.ts`],
      rules: { '@typescript-eslint/no-restricted-imports': sdkRule(folder) },
    })),
  ];
}

// The layer map, lowest first: a folder imports only from its own layer and the layers below, so
// the infrastructure never depends on a feature and features never depend on the composition root
// (src/*.ts: app.module, main, bootstrap, app-data-source). docs/architecture.md draws it.
const LAYERS = [
  ['common'],
  ['config'],
  ['logging', 'kubernetes', 'outbound', 'cluster-state', 'database'],
  ['health', 'auth'],
  ['coordination', 'cluster-registry'],
  ['monitor', 'access'],
  ['telemetry', 'sharding'],
  ['audit', 'system', 'overview', 'k8s-resources', 'istio-gateway'],
  ['diagnostics'],
  ['history', 'forecasts', 'changes', 'behaviour'],
  ['llm'],
  ['notifications', 'integrations'],
  ['mcp'],
  ['cli'],
];

// Features read cluster state through the Monitor's read-only port, never its internals, so the
// cache can change shape without touching them. Unit specs may still build internals directly.
const monitorPort = {
  regex: '(^|/)monitor/(?!(cluster-snapshot|monitor\\.module)(\\.js)?$)',
  message:
    'Outside src/monitor import only monitor/cluster-snapshot (the port) and monitor/monitor.module.',
};

function layerRules() {
  const unmapped = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !LAYERS.flat().includes(entry.name))
    .map((entry) => entry.name);
  if (unmapped.length) throw new Error(`eslint.config.mjs: put src/${unmapped[0]} in LAYERS`);
  const rule = (patterns) => ['error', { patterns }];
  const layers = LAYERS.flatMap((folders, level) => {
    const above = LAYERS.slice(level + 1).flat();
    const upward = above.length
      ? [
          {
            regex: `^(\\.\\./)+(${above.join('|')})(/|$)`,
            message: `Layer map (eslint.config.mjs): ${folders.join(', ')} may not import a higher layer (${above.join(', ')}).`,
          },
        ]
      : [];
    const port = folders.includes('monitor') ? [] : [monitorPort];
    return [
      {
        files: folders.map((f) => `src/${f}/**/*.ts`),
        rules: { 'no-restricted-imports': rule([...upward, ...port]) },
      },
      // Unit specs may build the Monitor's internals directly; the layer map holds for them too.
      {
        files: folders.map((f) => `src/${f}/**/*.spec.ts`),
        rules: { 'no-restricted-imports': rule(upward) },
      },
    ];
  });
  return [
    { files: ['src/*.ts'], rules: { 'no-restricted-imports': rule([monitorPort]) } },
    ...layers,
  ];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'src/metadata.ts', '.cloudpilot/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'error',
    },
  },
  {
    // Sizes a reader can hold (../shared/STYLE.md): tables are data, not code, and are left out.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/config/config-keys.ts', 'src/common/error-codes.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 300 }],
    },
  },
  ...adapterRules(),
  ...layerRules(),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/config reads process.env; inject ConfigProvider.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'nock', message: 'Tests use the real test cluster, never HTTP mocks.' },
            { name: 'msw', message: 'Tests use the real test cluster, never HTTP mocks.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
