import type { HealthOverride, HealthTolerance } from './config.types';
import {
  httpUrl,
  intRange,
  listOf,
  mappingOf,
  nonEmpty,
  Parser,
  structured,
} from './config-parsers';

const CLASSES = ['5xx', '4xx', 'grpc'] as const;
const OVERRIDE_FIELDS = new Set(['namespace', 'kind', 'name', 'tolerances']);
const TOLERANCE_FIELDS = new Set(['code', 'degraded', 'failure']);

/** A Prometheus-compatible API URL, or `in-cluster` (found through the API server's service proxy). */
export const prometheusSource: Parser<string> = (raw) => {
  const value = nonEmpty(raw);
  return value === 'in-cluster' ? value : httpUrl(value);
};

/** Telemetry windows in seconds, as the routes take them: a YAML list, or comma-separated. */
export const windowList: Parser<number[]> = (raw) => {
  const items = Array.isArray(raw) ? raw : listOf(raw);
  return [...new Set(items.map((item) => intRange(10, 86_400)(item)))];
};

/** `user:password` for HTTP basic authentication. */
export const basicAuth: Parser<string> = (raw) => {
  const value = nonEmpty(raw);
  if (!/^[^:]+:.+$/.test(value)) throw new Error('must be user:password');
  return value;
};

function regex(value: unknown, at: string): string {
  const text = nonEmpty(value);
  try {
    new RegExp(text);
  } catch {
    throw new Error(`${at} is not a valid regular expression`);
  }
  return text;
}

function percent(value: unknown, at: string): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new Error(`${at} must be a percentage 0–100`);
  return n;
}

function tolerance(value: unknown, at: string): HealthTolerance {
  const t = mappingOf(value, at, TOLERANCE_FIELDS);
  const code = String(t.code ?? '').toLowerCase();
  if (!(CLASSES as readonly string[]).includes(code))
    throw new Error(`${at}.code must be one of ${CLASSES.join(', ')}`);
  const degraded = percent(t.degraded, `${at}.degraded`);
  const failure = percent(t.failure, `${at}.failure`);
  if (failure < degraded) throw new Error(`${at}: failure must not be below degraded`);
  return { code: code as HealthTolerance['code'], degraded, failure };
}

function override(value: unknown, at: string): HealthOverride {
  const o = mappingOf(value, at, OVERRIDE_FIELDS);
  if (!Array.isArray(o.tolerances) || o.tolerances.length === 0)
    throw new Error(`${at}.tolerances must be a non-empty list`);
  return {
    namespace: regex(o.namespace ?? '.*', `${at}.namespace`),
    kind: regex(o.kind ?? '.*', `${at}.kind`),
    name: regex(o.name ?? '.*', `${at}.name`),
    tolerances: o.tolerances.map((t, i) => tolerance(t, `${at}.tolerances[${i}]`)),
  };
}

/**
 * Kiali-style health overrides: a list of {namespace, kind, name} regular expressions with the
 * tolerances that apply to what they match (first match wins); a YAML list or the same as JSON.
 */
export const healthOverrides: Parser<HealthOverride[]> = (raw) => {
  const value = structured(raw, 'list of {namespace, kind, name, tolerances}');
  if (!Array.isArray(value))
    throw new Error('must be a list of {namespace, kind, name, tolerances}');
  return value.map((entry, i) => override(entry, `[${i}]`));
};
