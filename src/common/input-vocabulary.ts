import { fieldSelectorProblem, labelSelectorProblem } from './selector-grammar';

/**
 * The words every edge accepts: one rule per Kubernetes (and CloudPilot) input primitive. The HTTP
 * validators (k8s-validators.ts, input-rule.pipe.ts), the OpenAPI document and the zod schemas of
 * the assistant and MCP tools are all built from these, so a value one edge takes the others take
 * too, and is refused with the same words.
 */
export interface InputRule {
  /** Anchored and flag-free, so its source is also the OpenAPI / JSON Schema `pattern`. */
  readonly pattern: RegExp;
  /** Implied by the pattern where it counts characters; stated for the document. */
  readonly maxLength: number;
  /** What a valid value is, after "<field> must be". */
  readonly expected: string;
  /** A grammar the pattern cannot express: the problem with `value`, or null. */
  readonly grammar?: (value: string) => string | null;
  /** The grammar's forms as a regular expression, for the document: what `grammar` takes. */
  readonly documentedPattern?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A DNS-1123 label: namespaces, containers, CloudPilot cluster names. */
export const DNS_LABEL_RULE: InputRule = {
  pattern: DNS_LABEL,
  maxLength: 63,
  expected: 'a DNS-1123 label',
};

/** A named LLM provider of `llm.providers`: a DNS-1123 label of at most 32 characters. */
export const PROVIDER_NAME_RULE: InputRule = {
  pattern: /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/,
  maxLength: 32,
  expected: 'a provider name (DNS-1123 label, at most 32 characters)',
};

/** A DNS-1123 subdomain: the names most kinds give their objects. */
export const DNS_SUBDOMAIN_RULE: InputRule = {
  pattern: /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/,
  maxLength: 253,
  expected: 'a DNS-1123 subdomain',
};

/** `:clusterId` and a tool's `clusterId`: a cluster's id (UUID) or its name (a DNS-1123 label, any case). */
export const CLUSTER_REF_RULE: InputRule = {
  pattern:
    /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)$/,
  maxLength: 63,
  expected: 'a cluster id (UUID) or name (DNS-1123 label)',
};

/** A kind, its plural or `plural.group` (pods, Deployment, virtualservices.networking.istio.io). */
export const KIND_REF_RULE: InputRule = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/,
  maxLength: 253,
  expected: 'a plural, a kind or plural.group',
};

/** A kind's name alone, as objects and findings carry it (Deployment). */
export const KIND_NAME_RULE: InputRule = {
  pattern: /^[A-Za-z][A-Za-z0-9]{0,62}$/,
  maxLength: 63,
  expected: 'a Kubernetes kind name',
};

/**
 * An object's name. Most kinds use DNS subdomains, but RBAC objects allow any path segment
 * (system:aggregate-to-view): refuse only what can never be a name segment.
 */
export const OBJECT_NAME_RULE: InputRule = {
  pattern: /^(?!\.{1,2}$)[^/%\s]{1,253}$/,
  maxLength: 253,
  expected: '1-253 characters without "/", "%" or spaces',
};

// Printable ASCII (and the grammar's whitespace) keeps every URL within the header limit.
const SELECTOR_CHARACTERS = /^[\x20-\x7E\t\r\n]*$/;

const WS = '[ \\t\\r\\n]*';
const LABEL_NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const LABEL_KEY = `([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?){0,2}/)?${LABEL_NAME}`;
const LABEL_VALUE = `(${LABEL_NAME})?`;
const VALUE_SET = `\\(${WS}${LABEL_VALUE}(${WS},${WS}${LABEL_VALUE})*${WS}\\)`;
const REQUIREMENT = `${WS}(!${WS}${LABEL_KEY}|${LABEL_KEY}(${WS}(=|==|!=)${WS}${LABEL_VALUE}|[ \\t\\r\\n]+(in|notin)${WS}${VALUE_SET})?)${WS}`;

/**
 * A label selector, as kubectl -l (app=web,tier!=db), parsed with the Kubernetes grammar. The
 * document states its forms (exists, !exists, =, ==, !=, in, notin) as a pattern; `>` and `<`,
 * which take any int64, are left to the grammar.
 */
export const LABEL_SELECTOR_RULE: InputRule = {
  pattern: SELECTOR_CHARACTERS,
  maxLength: 1024,
  expected: 'printable ASCII',
  grammar: labelSelectorProblem,
  documentedPattern: `^(${WS}|${REQUIREMENT}(,${REQUIREMENT})*)$`,
};

// A field selector value: printable, with ",", "=" and "\\" escaped by a backslash.
const FIELD_VALUE = '([\\t\\n\\r\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x5b\\x5d-\\x7e]|\\\\[\\\\,=])*';
const FIELD_TERM = `[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*(!=|==|=)${FIELD_VALUE}`;

/** A field selector, as kubectl --field-selector (status.phase=Running). */
export const FIELD_SELECTOR_RULE: InputRule = {
  pattern: SELECTOR_CHARACTERS,
  maxLength: 1024,
  expected: 'printable ASCII',
  grammar: fieldSelectorProblem,
  documentedPattern: `^(${FIELD_TERM})?(,(${FIELD_TERM})?)*$`,
};

/** A finding code, e.g. POD_CRASH_LOOP. */
export const FINDING_CODE_RULE: InputRule = {
  pattern: /^[A-Z][A-Z0-9_]{1,80}$/,
  maxLength: 81,
  expected: 'an UPPER_SNAKE finding code',
};

/** A diagnostics finding's id: 16 lowercase hex digits. */
export const FINDING_ID_RULE: InputRule = {
  pattern: /^[0-9a-f]{16}$/,
  maxLength: 16,
  expected: '16 hexadecimal digits',
};

/** A recorded change's id: 32 lowercase hex digits. */
export const CHANGE_ID_RULE: InputRule = {
  pattern: /^[0-9a-f]{32}$/,
  maxLength: 32,
  expected: '32 hexadecimal digits',
};

/** The id of a finding the assistant can explain: a diagnostics finding's or a mesh validation's. */
export const EXPLAINABLE_FINDING_ID_RULE: InputRule = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,511}$/,
  maxLength: 512,
  expected: 'letters, digits and . _ : ~ -',
};

/**
 * A moment to read events from: an ISO-8601 time (to the minute, seconds and fraction optional),
 * or a window back from now like 30s, 15m, 2h, 7d. Digits are spelled [0-9]: a document's `\d`
 * means any Unicode digit to some readers.
 */
export const SINCE_RULE: InputRule = {
  pattern:
    /^([0-9]{1,6}[smhd]|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))$/,
  maxLength: 64,
  expected: 'ISO-8601 or a window like 15m, 2h, 7d',
};

/** A moment as ISO-8601 with its zone (2026-12-24T00:00:00Z): SINCE_RULE's time form alone. */
export const ISO_TIME_RULE: InputRule = {
  pattern:
    /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$/,
  maxLength: 64,
  expected: 'an ISO-8601 time with a zone (2026-12-24T00:00:00Z)',
};

/** The `continue` token of a previous page: the API server's tokens are base64 (URL or standard alphabet). */
export const CONTINUE_TOKEN_RULE: InputRule = {
  pattern: /^[A-Za-z0-9_\-+/=]*$/,
  maxLength: 8192,
  expected: 'a continue token of a previous page',
};

/** Base64 text (PEM certificates and keys as kubeconfigs carry them); line breaks allowed. */
export const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** The message every edge gives when `field` breaks `rule`, or null when `value` keeps it. */
export function ruleProblem(rule: InputRule, field: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.length > rule.maxLength)
    return `${field} must be shorter than or equal to ${rule.maxLength} characters`;
  if (!rule.pattern.test(value)) return `${field} must be ${rule.expected}`;
  const problem = rule.grammar?.(value) ?? null;
  return problem === null ? null : `${field} is not valid: ${problem}`;
}

/** The rule as an OpenAPI / JSON Schema string schema. */
export function ruleSchema(rule: InputRule): {
  type: 'string';
  pattern: string;
  maxLength: number;
} {
  return {
    type: 'string',
    pattern: rule.documentedPattern ?? rule.pattern.source,
    maxLength: rule.maxLength,
  };
}
