// The simulator's annotation contract (docs/testing.md, "Telemetry"): what a workload does,
// declared on the workload object under sim.cloudpilot.dev/. Pure parsing, unit-tested.

export const PREFIX = 'sim.cloudpilot.dev/';

export const DEFAULT_LATENCY = { p50: 10, p95: 40, p99: 80 };

const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** A Kubernetes quantity ("200Mi", "1G", "250m", "0.5") as a number; NaN when malformed. */
export function parseQuantity(text) {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(Ki|Mi|Gi|Ti|Pi|m|k|M|G|T|P)?\s*$/.exec(String(text));
  if (!m) return NaN;
  const unit = m[2] ?? '';
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit]);
}

/** A growth rate "1Mi/s" (also "/m", "/h") in units per second; NaN when malformed. */
export function parseRate(text) {
  const m = /^(.*)\/(s|m|h)$/.exec(String(text).trim());
  if (!m) return NaN;
  return parseQuantity(m[1]) / { s: 1, m: 60, h: 3600 }[m[2]];
}

function number(text, { min = 0, max = Infinity } = {}) {
  const trimmed = String(text).trim();
  const n = trimmed === '' ? NaN : Number(trimmed);
  return n >= min && n <= max ? n : NaN;
}

function pairs(text) {
  return String(text)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p, ''] : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    });
}

/**
 * `payments.shop=20,inventory=5` → calls per second to Services; a target without a namespace
 * means the caller's own namespace. Throws on a malformed entry.
 */
export function parseCalls(text, ownNamespace) {
  return pairs(text).map(([target, rate]) => {
    const rps = number(rate);
    const [service, namespace = ownNamespace, ...rest] = target.split('.');
    if (!service || rest.length || Number.isNaN(rps))
      throw new Error(`calls entry "${target}=${rate}" is not SERVICE[.NAMESPACE]=RATE`);
    return { service, namespace, rps };
  });
}

/** `p50=20,p95=80,p99=150` over the defaults; throws unless 0 < p50 <= p95 <= p99. */
export function parseLatency(text) {
  const latency = { ...DEFAULT_LATENCY };
  for (const [key, value] of pairs(text)) {
    if (!(key in latency)) throw new Error(`latency key "${key}" is not p50, p95 or p99`);
    latency[key] = number(value, { min: Number.MIN_VALUE });
  }
  const { p50, p95, p99 } = latency;
  if (!(p50 > 0 && p50 <= p95 && p95 <= p99))
    throw new Error(`latency needs 0 < p50 <= p95 <= p99 (got ${text})`);
  return latency;
}

const FIELDS = {
  calls: { default: [], parse: (v, ns) => parseCalls(v, ns) },
  'ingress-rps': { default: 0, parse: (v) => number(v) },
  'error-ratio': { default: 0, parse: (v) => number(v, { max: 1 }) },
  'client-error-ratio': { default: 0, parse: (v) => number(v, { max: 1 }) },
  'latency-ms': { default: DEFAULT_LATENCY, parse: parseLatency },
  protocol: { default: 'http', parse: (v) => (['http', 'grpc', 'tcp'].includes(v) ? v : NaN) },
  mtls: { default: true, parse: (v) => ({ true: true, false: false })[v] ?? NaN },
  cpu: { default: 0.01, parse: parseQuantity },
  'cpu-throttle-ratio': { default: 0, parse: (v) => number(v, { max: 1 }) },
  memory: { default: 20 * 2 ** 20, parse: parseQuantity },
  'memory-growth': { default: 0, parse: parseRate },
  'volume-used': { default: 0, parse: parseQuantity },
  'volume-fill': { default: 0, parse: parseRate },
};

const camel = (key) => key.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * The behaviour declared by `annotations` (of a workload in `namespace`). A malformed value falls
 * back to its default and is reported in `problems`, so one typo never stops the simulation.
 */
export function simSpec(annotations = {}, namespace = 'default') {
  const spec = { problems: [] };
  for (const [key, field] of Object.entries(FIELDS)) {
    const raw = annotations[PREFIX + key];
    let value = field.default;
    if (raw !== undefined) {
      try {
        const parsed = field.parse(String(raw).trim(), namespace);
        if (Number.isNaN(parsed)) throw new Error(`"${raw}" is not a valid value`);
        value = parsed;
      } catch (err) {
        spec.problems.push(`${PREFIX}${key}: ${err.message}`);
      }
    }
    spec[camel(key)] = value;
  }
  if (spec.errorRatio + spec.clientErrorRatio > 1) {
    spec.problems.push(`${PREFIX}error-ratio + client-error-ratio exceed 1; both ignored`);
    spec.errorRatio = 0;
    spec.clientErrorRatio = 0;
  }
  return spec;
}
