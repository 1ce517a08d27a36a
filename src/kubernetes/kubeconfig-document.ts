import { parseDocument } from 'yaml';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';

/** Larger uploads are refused before parsing; real kubeconfigs are a few KiB. */
export const MAX_KUBECONFIG_BYTES = 1024 * 1024;

/** Imports every context of the file in one call. */
export const ALL_CONTEXTS = '*';

// Generated kubeconfigs never use anchors; a few are tolerated for hand-written ones, a bomb is not.
const MAX_YAML_ALIASES = 20;

export type Mapping = Record<string, unknown>;

/** Who is at fault, for the message and the details; never a credential. */
export interface Fault {
  context: string;
  cluster?: string;
  user?: string;
  field?: string;
}

export interface KubeconfigIndex {
  clusters: Map<string, Mapping>;
  users: Map<string, Mapping>;
  contexts: Map<string, Mapping>;
  currentContext: unknown;
}

/** Names come from the upload: quoted and cut short so a message stays readable. */
export function quote(name: unknown): string {
  return JSON.stringify(String(name).slice(0, 80));
}

export function subjectOf(fault: Fault): string {
  if (fault.user !== undefined)
    return `User ${quote(fault.user)} (context ${quote(fault.context)})`;
  if (fault.cluster !== undefined)
    return `Cluster ${quote(fault.cluster)} (context ${quote(fault.context)})`;
  return `Context ${quote(fault.context)}`;
}

export function refuse(code: ErrorCode, fault: Fault, message: string): AppError {
  return new AppError(code, `${subjectOf(fault)} ${message}`, { ...fault });
}

export function invalidFile(message: string, details?: Mapping): AppError {
  return new AppError('KUBECONFIG_INVALID', `The kubeconfig ${message}`, details);
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Set means anything but absent, null or empty: `exec: {}` is still an exec user. */
export function isSet(mapping: Mapping, field: string): boolean {
  const value = Object.hasOwn(mapping, field) ? mapping[field] : undefined;
  return value !== undefined && value !== null && value !== '';
}

/** YAML → plain object, refusing oversize input, alias bombs, duplicate keys and unknown tags. */
export function readDocument(text: string): Mapping {
  if (typeof text !== 'string') throw invalidFile('must be text');
  if (Buffer.byteLength(text, 'utf8') > MAX_KUBECONFIG_BYTES)
    throw invalidFile(`is larger than ${MAX_KUBECONFIG_BYTES} bytes`);
  // Not logLevel 'silent': it also drops the "several documents" error. parseDocument logs nothing.
  const doc = parseDocument(text, {
    prettyErrors: false,
    uniqueKeys: true,
    stringKeys: true,
    resolveKnownTags: false,
    logLevel: 'error',
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  // Only the code and position: the parser's message may quote the text, tokens included.
  if (problem)
    throw invalidFile(`is not valid YAML (${problem.code})`, {
      reason: problem.code,
      offset: problem.pos[0],
    });
  let config: unknown;
  try {
    config = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch {
    throw invalidFile('uses too many YAML aliases', { reason: 'ALIAS_LIMIT' });
  }
  if (!isMapping(config)) throw invalidFile('must be a YAML mapping (kind: Config)');
  if (config.kind !== undefined && config.kind !== 'Config')
    throw invalidFile(`must be of kind Config, not ${quote(config.kind)}`);
  return config;
}

/** A name → body map of one of the three lists; duplicates are refused as ambiguous. */
function namedEntries(
  config: Mapping,
  list: 'clusters' | 'users' | 'contexts',
  body: 'cluster' | 'user' | 'context',
): Map<string, Mapping> {
  const entries = config[list] ?? [];
  if (!Array.isArray(entries)) throw invalidFile(`field ${list} must be a list`);
  const byName = new Map<string, Mapping>();
  entries.forEach((entry: unknown, i) => {
    const name = isMapping(entry) ? entry.name : undefined;
    if (typeof name !== 'string' || name === '')
      throw invalidFile(`entry ${list}[${i}] has no name`);
    if (byName.has(name)) throw invalidFile(`defines ${list} entry ${quote(name)} twice`);
    const inner = (entry as Mapping)[body] ?? {};
    if (!isMapping(inner))
      throw invalidFile(`entry ${list}[${i}] (${quote(name)}) field ${body} must be a mapping`);
    byName.set(name, inner);
  });
  return byName;
}

export function indexKubeconfig(config: Mapping): KubeconfigIndex {
  return {
    clusters: namedEntries(config, 'clusters', 'cluster'),
    users: namedEntries(config, 'users', 'user'),
    contexts: namedEntries(config, 'contexts', 'context'),
    currentContext: config['current-context'],
  };
}

export function selectContexts(index: KubeconfigIndex, contextName: string | undefined): string[] {
  if (contextName === ALL_CONTEXTS) {
    if (index.contexts.size === 0)
      throw new AppError('KUBECONFIG_CONTEXT_NOT_FOUND', 'The kubeconfig has no contexts');
    return [...index.contexts.keys()];
  }
  const name = contextName || index.currentContext;
  if (typeof name !== 'string' || name === '') {
    throw new AppError(
      'KUBECONFIG_CONTEXT_NOT_FOUND',
      'The kubeconfig has no current-context; name the context to import',
    );
  }
  if (!index.contexts.has(name))
    throw new AppError(
      'KUBECONFIG_CONTEXT_NOT_FOUND',
      `The kubeconfig has no context ${quote(name)}`,
      { context: name },
    );
  return [name];
}

/** The cluster or user entry a context names; a dangling reference is a missing entry. */
export function referenced(
  index: KubeconfigIndex,
  context: string,
  kind: 'cluster' | 'user',
): [string, Mapping] {
  const name = index.contexts.get(context)![kind];
  if (typeof name !== 'string' || name === '') {
    throw new AppError(
      'KUBECONFIG_CONTEXT_NOT_FOUND',
      `Context ${quote(context)} names no ${kind}`,
      { context },
    );
  }
  const entry = (kind === 'cluster' ? index.clusters : index.users).get(name);
  if (!entry) {
    throw new AppError(
      'KUBECONFIG_CONTEXT_NOT_FOUND',
      `Context ${quote(context)} refers to ${kind} ${quote(name)}, which the kubeconfig does not define`,
      { context, [kind]: name },
    );
  }
  return [name, entry];
}
