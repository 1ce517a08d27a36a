/**
 * Everything a tool returns passes through here before it reaches a model, the database or an
 * SSE client. Secret *objects* never get this far (their views carry key names only); this
 * catches credentials that live elsewhere: kubeconfigs pasted into ConfigMaps, tokens in
 * annotations or logs, private keys, literal env values of secret-looking variables.
 */
export const REDACTED = '[REDACTED]';

const SECRET_FIELD =
  /^(token|id-token|refresh-token|access-token|client-key-data|password|passwd|api[-_]?key|apikey|secret[-_]?key|private[-_]?key|client[-_]?secret)$/i;
const SECRET_ENV_NAME =
  /(pass(word)?|passwd|secret|token|api[-_]?key|private[-_]?key|credential|pwd)/i;

const TEXT_RULES: ReadonlyArray<[RegExp, string]> = [
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    REDACTED,
  ],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, REDACTED],
  [/\bcpt_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}/g, REDACTED],
  // key: value / key=value / "key": "value" in YAML, JSON, env files and kubeconfigs
  [
    /((?:^|[\s{,"'\\])(?:token|id-token|refresh-token|access-token|client-key-data|password|passwd|api[-_]?key|secret[-_]?key|client[-_]?secret)["'\\]*\s*[:=]\s*["'\\]*)[^\s"',}\\]{4,}/gim,
    `$1${REDACTED}`,
  ],
];

export class Redactor {
  private readonly extra: RegExp[];

  constructor(
    patterns: readonly string[] = [],
    private readonly literals: readonly string[] = [],
  ) {
    this.extra = patterns.map((p) => new RegExp(p, 'g'));
  }

  text(input: string): string {
    let out = input;
    for (const literal of this.literals)
      if (literal.length >= 8) out = out.split(literal).join(REDACTED);
    for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
    for (const pattern of this.extra) out = out.replace(pattern, REDACTED);
    return out;
  }

  /** A deep copy with secret-named fields, secret-looking env values and every string redacted. */
  value(input: unknown, key = ''): unknown {
    if (typeof input === 'string')
      return SECRET_FIELD.test(key) && input ? REDACTED : this.text(input);
    if (Array.isArray(input)) return input.map((item) => this.value(item, key));
    if (input === null || typeof input !== 'object') return input;
    const obj = input as Record<string, unknown>;
    if (obj.kind === 'Secret' && ('data' in obj || 'stringData' in obj)) {
      // Never expected (views strip them), but a Secret body must not pass even by mistake.
      const { data: _d, stringData: _s, ...rest } = obj;
      return this.value(rest, key);
    }
    const out: Record<string, unknown> = {};
    const envEntry =
      typeof obj.name === 'string' && 'value' in obj && SECRET_ENV_NAME.test(obj.name);
    for (const [k, v] of Object.entries(obj))
      out[k] = envEntry && k === 'value' && typeof v === 'string' ? REDACTED : this.value(v, k);
    return out;
  }
}

/**
 * The JSON text of a value, at most `maxBytes` long: a list keeps as many items as fit and says
 * how many it left out; anything else is cut and marked.
 */
export function capJson(value: unknown, maxBytes: number): string {
  const json = JSON.stringify(value) ?? 'null';
  if (Buffer.byteLength(json) <= maxBytes) return json;
  const items = (value as { items?: unknown[] } | null)?.items;
  if (Array.isArray(items)) {
    let keep = items.length;
    while (keep > 0) {
      keep = Math.floor(keep / 2);
      const candidate = JSON.stringify({
        ...(value as object),
        items: items.slice(0, keep),
        truncated: true,
        omittedItems: items.length - keep,
      });
      if (Buffer.byteLength(candidate) <= maxBytes) return candidate;
    }
  }
  // Re-escaping the cut text can lengthen it, so shrink until the envelope fits.
  for (let keep = maxBytes - 64; keep > 0; keep = Math.floor(keep * 0.8)) {
    const head = Buffer.from(json).subarray(0, keep).toString('utf8');
    const out = JSON.stringify({ truncated: true, partialJson: head });
    if (Buffer.byteLength(out) <= maxBytes) return out;
  }
  return '{"truncated":true}';
}
