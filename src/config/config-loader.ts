import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CLI_ONLY_FLAGS, CONFIG_KEYS, ConfigKey } from './config-keys';
import { AppConfig, ConfigProblem, ConfigSource, ConfigValidationError } from './config.types';

export interface LoadedConfig {
  config: AppConfig;
  sources: Record<string, ConfigSource>;
}

export interface CliArgs {
  help: boolean;
  configFile: string | undefined;
  values: Record<string, string>;
}

/** Parses argv strictly: an unknown flag is a configuration problem, not something to ignore. */
export function parseCli(argv: string[]): CliArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    config: { type: 'string' },
    help: { type: 'boolean' },
  };
  for (const key of CONFIG_KEYS) if (key.flag) options[key.flag] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigValidationError([
      { key: 'cli', origin: 'command line', message: (error as Error).message },
    ]);
  }
  const { help, config, ...rest } = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, string> = {};
  for (const [flag, value] of Object.entries(rest))
    if (typeof value === 'string') values[flag] = value;
  return {
    help: help === true,
    configFile: typeof config === 'string' ? config : undefined,
    values,
  };
}

export function helpText(): string {
  const lines = ['Usage: cloudpilot [flags]', '', 'Flags:'];
  for (const [flag, doc] of Object.entries(CLI_ONLY_FLAGS))
    lines.push(`  --${flag.padEnd(14)} ${doc}`);
  for (const key of CONFIG_KEYS) {
    if (!key.flag) continue;
    lines.push(
      `  --${key.flag.padEnd(14)} ${key.doc} (default ${String(key.default)}; env ${key.env})`,
    );
  }
  lines.push(
    '',
    'Every key can also be set in the YAML file or the environment: see config/config.example.yaml.',
  );
  return lines.join('\n');
}

/** Keys whose value is itself a mapping (llm.providers) are kept whole, for their own parser. */
const MAPPING_KEYS = new Set(CONFIG_KEYS.filter((k) => isMapping(k.default)).map((k) => k.path));

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isMapping(value) && !MAPPING_KEYS.has(prefix)) {
    for (const [k, v] of Object.entries(value as object))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
}

function readYaml(file: string, problems: ConfigProblem[]): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({
      key: 'config',
      origin: file,
      message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    });
    return flat;
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    problems.push({
      key: 'config',
      origin: file,
      message: `invalid YAML: ${(error as Error).message.split('\n')[0]}`,
    });
    return flat;
  }
  if (doc === null || doc === undefined) return flat;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({ key: 'config', origin: file, message: 'must be a YAML mapping' });
    return flat;
  }
  flatten(doc, '', flat);
  const known = new Set(CONFIG_KEYS.map((k) => k.path));
  for (const key of flat.keys())
    if (!known.has(key)) problems.push({ key, origin: file, message: 'unknown key' });
  return flat;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

function pick(
  key: ConfigKey,
  cli: CliArgs,
  env: NodeJS.ProcessEnv,
  file: Map<string, unknown>,
  fileName: string,
) {
  if (key.flag && cli.values[key.flag] !== undefined)
    return { raw: cli.values[key.flag], source: 'cli' as const, origin: `--${key.flag}` };
  if (key.env && env[key.env] !== undefined && env[key.env] !== '')
    return { raw: env[key.env], source: 'env' as const, origin: key.env };
  if (file.has(key.path))
    return { raw: file.get(key.path), source: 'file' as const, origin: fileName };
  return { raw: key.default, source: 'default' as const, origin: 'default' };
}

/**
 * Builds the AppConfig from defaults < YAML file < environment < CLI flags. Every problem is
 * collected before failing, so an operator fixes them all in one go.
 */
export function loadConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig & { help: boolean } {
  const cli = parseCli(argv);
  const problems: ConfigProblem[] = [];
  const fileName = cli.configFile ?? env.CLOUDPILOT_CONFIG;
  const file = fileName ? readYaml(fileName, problems) : new Map<string, unknown>();
  const config: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource> = {};
  for (const key of CONFIG_KEYS) {
    const { raw, source, origin } = pick(key, cli, env, file, fileName ?? '');
    sources[key.path] = source;
    if (raw === undefined || raw === null) {
      setPath(config, key.path, undefined);
      continue;
    }
    try {
      setPath(config, key.path, key.parse(raw));
    } catch (error) {
      problems.push({ key: key.path, origin, message: (error as Error).message });
    }
  }
  const typed = config as unknown as AppConfig;
  applyEnvironmentFacts(typed, sources, env);
  if (problems.length === 0) problems.push(...crossChecks(typed));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  if (typed.log.debug && typed.log.level !== 'trace') typed.log.level = 'debug';
  return { config: deepFreeze(typed), sources, help: cli.help };
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Facts of the environment that stand in for unset keys: running in a pod, the home kubeconfig. */
function applyEnvironmentFacts(
  config: AppConfig,
  sources: Record<string, ConfigSource>,
  env: NodeJS.ProcessEnv,
): void {
  if (
    sources['kubernetes.inCluster'] === 'default' &&
    env.KUBERNETES_SERVICE_HOST &&
    existsSync(SERVICE_ACCOUNT_TOKEN)
  ) {
    config.kubernetes.inCluster = true;
    sources['kubernetes.inCluster'] = 'env';
  }
  if (config.kubernetes.kubeconfig === undefined && env.HOME)
    config.kubernetes.kubeconfig = join(env.HOME, '.kube', 'config');
}

function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

/** Rules that involve more than one key. */
function crossChecks(config: AppConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.auth.mode === 'none' && !isLoopbackHost(config.server.host)) {
    problems.push({
      key: 'auth.mode',
      origin: 'auth',
      message: 'none is only allowed when server.host is 127.0.0.1 (development)',
    });
  }
  if (config.kubernetes.apiServer && !config.kubernetes.token) {
    problems.push({
      key: 'kubernetes.token',
      origin: 'K8S_TOKEN',
      message: 'is required when kubernetes.apiServer is set',
    });
  }
  if (
    config.coordination.leaderElection === 'postgres' &&
    !config.database.url.startsWith('postgres')
  ) {
    problems.push({
      key: 'coordination.leaderElection',
      origin: 'coordination',
      message: 'postgres needs DATABASE_URL to be a PostgreSQL URL (SQLite runs one replica)',
    });
  }
  problems.push(...shardingChecks(config));
  return problems;
}

function shardingChecks(config: AppConfig): ConfigProblem[] {
  if (!config.sharding.enabled) return [];
  const problems: ConfigProblem[] = [];
  if (!config.database.url.startsWith('postgres'))
    problems.push({
      key: 'sharding.enabled',
      origin: 'sharding',
      message: 'needs DATABASE_URL to be a PostgreSQL URL (SQLite runs one replica)',
    });
  if (!config.sharding.internalSecret)
    problems.push({
      key: 'sharding.internalSecret',
      origin: 'CLOUDPILOT_SHARDING_SECRET',
      message: 'is required when sharding.enabled is true',
    });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
