// Lint rules that carry the architecture (../shared/STYLE.md): exactly one adapter touches each
// outside system, so value imports of their SDKs are allowed only inside that adapter's folder.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const adapterOnly = (name, folder) => ({
  name,
  allowTypeImports: true,
  message: `Only ${folder} may import ${name}: features depend on the adapter, not the SDK.`,
});

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
    files: ['src/**/*.ts'],
    ignores: ['src/kubernetes/**', 'src/database/**', 'src/llm/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            adapterOnly('@kubernetes/client-node', 'src/kubernetes/'),
            adapterOnly('openai', 'src/llm/'),
            adapterOnly('undici', 'src/kubernetes/'),
          ],
          patterns: [
            {
              group: ['@kubernetes/client-node/*'],
              allowTypeImports: true,
              message: 'Only src/kubernetes/ may import client-node.',
            },
            {
              group: ['@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*'],
              allowTypeImports: true,
              message: 'Only src/mcp/ may import the MCP SDK.',
            },
          ],
        },
      ],
    },
  },
  {
    // The MCP endpoint is the one place the MCP SDK is imported; the other boundaries still hold.
    files: ['src/mcp/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            adapterOnly('@kubernetes/client-node', 'src/kubernetes/'),
            adapterOnly('openai', 'src/llm/'),
          ],
          patterns: [
            {
              group: ['@kubernetes/client-node/*'],
              allowTypeImports: true,
              message: 'Only src/kubernetes/ may import client-node.',
            },
          ],
        },
      ],
    },
  },
  {
    // Features read cluster state through the Monitor's read-only port, never its internals, so the
    // cache can change shape without touching them. Unit specs may still build internals directly.
    files: ['src/**/*.ts'],
    ignores: ['src/monitor/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)monitor/(?!(cluster-snapshot|monitor\\.module)(\\.js)?$)',
              message:
                'Outside src/monitor import only monitor/cluster-snapshot (the port) and monitor/monitor.module.',
            },
          ],
        },
      ],
    },
  },
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
