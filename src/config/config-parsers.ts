import { DNS_LABEL_RULE } from '../common/input-vocabulary';

/**
 * Value parsers shared by every config key. Each takes the raw value (a string from env/CLI, or
 * any YAML scalar) and returns the typed value or throws a message meant for a human.
 */
export type Parser<T> = (raw: unknown) => T;

export const str: Parser<string> = (raw) => {
  if (typeof raw === 'string' || typeof raw === 'number') return String(raw);
  throw new Error(`must be a string, got ${JSON.stringify(raw)}`);
};

export const nonEmpty: Parser<string> = (raw) => {
  const value = str(raw).trim();
  if (!value) throw new Error('must not be empty');
  return value;
};

/** A YAML list, or one comma-separated string from the env or CLI (`text` reads that string). */
export function listOf(raw: unknown, text: Parser<string> = str): string[] {
  if (Array.isArray(raw)) return raw.map((r) => nonEmpty(r));
  return text(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function intRange(min: number, max: number): Parser<number> {
  return (raw) => {
    const text = typeof raw === 'number' ? String(raw) : str(raw).trim();
    if (!/^-?\d+$/.test(text))
      throw new Error(`must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
    const value = Number(text);
    if (value < min || value > max)
      throw new Error(`must be an integer between ${min} and ${max}, got ${value}`);
    return value;
  };
}

export const bool: Parser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return raw;
  const text = str(raw).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off', ''].includes(text)) return false;
  throw new Error(`must be true or false, got ${JSON.stringify(raw)}`);
};

export function oneOf<T extends string>(...allowed: T[]): Parser<T> {
  return (raw) => {
    const text = str(raw).trim().toLowerCase() as T;
    if (!allowed.includes(text))
      throw new Error(`must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    return text;
  };
}

export const databaseUrl: Parser<string> = (raw) => {
  const url = nonEmpty(raw);
  if (/^sqlite:\/\/\/.+/.test(url) || url === 'sqlite::memory:') return url;
  if (/^postgres(ql)?:\/\/[^/]+/.test(url)) return url;
  throw new Error('must be sqlite:///<path>, sqlite::memory: or postgres://user:pass@host:port/db');
};

export const httpUrl: Parser<string> = (raw) => {
  const url = nonEmpty(raw);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`must be an absolute URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error('must be an http(s) URL');
  return url;
};

/** Random API tokens are ≥ 32 bytes; an operator-chosen admin token must be at least as long. */
export const secretToken: Parser<string> = (raw) => {
  const value = nonEmpty(raw);
  if (value.length < 32) throw new Error('must be at least 32 characters');
  return value;
};

/** A DNS-1123 label, as Kubernetes names and CloudPilot cluster names are. */
export const dnsLabel: Parser<string> = (raw) => {
  const value = nonEmpty(raw);
  if (!DNS_LABEL_RULE.pattern.test(value))
    throw new Error('must be a DNS-1123 label (lowercase letters, digits, "-", at most 63)');
  return value;
};

/** Label keys (`[prefix/]name`): comma-separated in the env, a list in YAML. */
export const labelKeyList: Parser<string[]> = (raw) => {
  const items = listOf(raw);
  for (const item of items)
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(item))
      throw new Error(`${JSON.stringify(item)} is not a label key`);
  return items;
};

/** Finding codes (UPPER_SNAKE, e.g. CONTAINER_NO_PROBES): comma-separated in the env, a list in YAML. */
export const codeList: Parser<string[]> = (raw) => {
  const items = listOf(raw);
  for (const item of items)
    if (!/^[A-Z][A-Z0-9_]*$/.test(item))
      throw new Error(`${JSON.stringify(item)} is not a finding code`);
  return items;
};

/** A YAML value, or the same as JSON in an environment variable. */
export function structured(raw: unknown, shape: string): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`must be a JSON ${shape}`);
  }
}

/** A mapping holding only `fields`; `where` names it in the error. */
export function mappingOf(
  value: unknown,
  where: string,
  fields: ReadonlySet<string>,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${where} must be a mapping`);
  const unknown = Object.keys(value).filter((k) => !fields.has(k));
  if (unknown.length) throw new Error(`${where}: unknown field(s) ${unknown.join(', ')}`);
  return value as Record<string, unknown>;
}
