import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_KEYS } from './config-keys';
import { loadConfig, parseCli } from './config-loader';
import { ServerConfigProvider } from './config.provider';
import { ConfigValidationError } from './config.types';

function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cp-config-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigValidationError)
      return error.problems.map((p) => `${p.key}|${p.message}`);
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const { config, sources } = loadConfig([], {});
    expect(config.mode).toBe('server');
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8000, bodyLimitBytes: 1048576 });
    expect(config.database.url).toBe('sqlite:///./cloudpilot.db');
    expect(sources['server.port']).toBe('default');
  });

  it('layers defaults < YAML < environment < CLI and records each source', () => {
    const file = yamlFile(
      'server:\n  port: 9001\n  host: 0.0.0.0\nlog:\n  level: warn\nmonitor:\n  cacheTtlSeconds: 120\n',
    );
    const { config, sources } = loadConfig(['--config', file, '--port', '9003'], {
      CLOUDPILOT_PORT: '9002',
      LOG_LEVEL: 'error',
    });
    expect(config.server.port).toBe(9003);
    expect(sources['server.port']).toBe('cli');
    expect(config.log.level).toBe('error');
    expect(sources['log.level']).toBe('env');
    expect(config.server.host).toBe('0.0.0.0');
    expect(sources['server.host']).toBe('file');
    expect(config.monitor.cacheTtlSeconds).toBe(120);
  });

  it('reads the file named by CLOUDPILOT_CONFIG', () => {
    const file = yamlFile('mode: instant\n');
    expect(loadConfig([], { CLOUDPILOT_CONFIG: file }).config.mode).toBe('instant');
  });

  it('honours the seed variable names exactly', () => {
    const { config } = loadConfig([], {
      DEBUG: 'true',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/cp',
      K8S_IN_CLUSTER: 'true',
      K8S_API_SERVER: 'https://127.0.0.1:6443',
      K8S_TOKEN: 'abc',
      LLM_PROVIDER: 'deepseek',
      LLM_API_KEY: 'k',
      LLM_MODEL: 'deepseek-chat',
    });
    expect(config.log.level).toBe('debug');
    expect(config.database.url).toBe('postgres://u:p@127.0.0.1:5432/cp');
    expect(config.kubernetes).toMatchObject({
      inCluster: true,
      apiServer: 'https://127.0.0.1:6443',
      token: 'abc',
    });
    expect(config.llm).toMatchObject({ provider: 'deepseek', apiKey: 'k', model: 'deepseek-chat' });
  });

  it('names the flag and key of a bad port', () => {
    expect(problemsOf(() => loadConfig(['--port', 'abc'], {}))).toEqual([
      'server.port|must be an integer between 1 and 65535, got "abc"',
    ]);
  });

  it('reports every bad key at once, including unknown YAML keys', () => {
    const file = yamlFile('server:\n  prot: 1\nlog:\n  level: loud\nsurprise: true\n');
    const problems = problemsOf(() =>
      loadConfig(['--config', file], { DATABASE_URL: 'mysql://x' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'server.prot|unknown key',
        'surprise|unknown key',
        expect.stringMatching(/^log.level\|must be one of/),
        expect.stringMatching(/^database.url\|/),
      ]),
    );
  });

  it('reads named LLM providers as a YAML mapping or JSON in the env, and checks their fields', () => {
    const file = yamlFile(
      'llm:\n  providers:\n    local:\n      provider: ollama\n      model: qwen2.5:7b\n',
    );
    expect(loadConfig(['--config', file], {}).config.llm.providers).toEqual({
      local: { provider: 'ollama', model: 'qwen2.5:7b' },
    });
    const env = {
      CLOUDPILOT_LLM_PROVIDERS: '{"gpu":{"provider":"vllm","baseUrl":"http://10.0.0.9:8000/v1"}}',
    };
    expect(loadConfig([], env).config.llm.providers.gpu).toMatchObject({ provider: 'vllm' });
    const bad = yamlFile(
      'llm:\n  providers:\n    local:\n      provider: ollama\n      modle: x\n',
    );
    expect(problemsOf(() => loadConfig(['--config', bad], {}))).toEqual([
      expect.stringMatching(/^llm.providers\|local: unknown field\(s\) modle/),
    ]);
  });

  it('refuses unknown flags and a missing config file', () => {
    expect(problemsOf(() => parseCli(['--prot', '1']))[0]).toMatch(/^cli\|.*prot/);
    expect(problemsOf(() => loadConfig(['--config', '/nonexistent.yaml'], {}))[0]).toMatch(
      /^config\|cannot read file/,
    );
  });

  it('refuses --auth none unless listening on loopback', () => {
    expect(problemsOf(() => loadConfig(['--auth', 'none', '--host', '0.0.0.0'], {}))[0]).toMatch(
      /^auth.mode\|/,
    );
    expect(loadConfig(['--auth', 'none'], {}).config.auth.mode).toBe('none');
  });

  it('refuses an admin token shorter than 32 characters', () => {
    expect(problemsOf(() => loadConfig([], { CLOUDPILOT_ADMIN_TOKEN: 'short' }))).toEqual([
      'auth.adminToken|must be at least 32 characters',
    ]);
  });

  it('returns a frozen config', () => {
    const { config } = loadConfig([], {});
    expect(Object.isFrozen(config.server)).toBe(true);
  });
});

describe('ConfigProvider.effective', () => {
  it('lists every key with its source and masks secrets', () => {
    const { config, sources } = loadConfig([], {
      CLOUDPILOT_ADMIN_TOKEN: 'x'.repeat(40),
      DATABASE_URL: 'postgres://cp:hunter2@127.0.0.1/cp',
      LLM_API_KEY: 'sk-secret',
    });
    const entries = new ServerConfigProvider(config, sources).effective();
    expect(entries.map((e) => e.key)).toEqual(CONFIG_KEYS.map((k) => k.path));
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey['auth.adminToken']).toMatchObject({ value: '***', source: 'env' });
    expect(byKey['llm.apiKey'].value).toBe('***');
    expect(byKey['database.url'].value).toBe('postgres://***@127.0.0.1/cp');
    expect(JSON.stringify(entries)).not.toMatch(/hunter2|sk-secret|xxxxxxxx/);
  });
});
