import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { parseDocument } from 'yaml';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { ClusterAuth, ClusterConnection, ConnectionPolicy } from './cluster-connection';
import { assertSafeServerUrl, formatServerUrl } from './server-url-guard';

/** One context of an uploaded kubeconfig, checked and reduced to what CloudPilot will use. */
export interface ParsedContext {
  context: string;
  cluster: string;
  user: string;
  namespace?: string;
  connection: ClusterConnection;
}

/** Larger uploads are refused before parsing; real kubeconfigs are a few KiB. */
export const MAX_KUBECONFIG_BYTES = 1024 * 1024;

/** Imports every context of the file in one call. */
export const ALL_CONTEXTS = '*';

// Generated kubeconfigs never use anchors; a few are tolerated for hand-written ones, a bomb is not.
const MAX_YAML_ALIASES = 20;

type Mapping = Record<string, unknown>;

/** Who is at fault, for the message and the details; never a credential. */
interface Fault {
  context: string;
  cluster?: string;
  user?: string;
  field?: string;
}

interface KubeconfigIndex {
  clusters: Map<string, Mapping>;
  users: Map<string, Mapping>;
  contexts: Map<string, Mapping>;
  currentContext: unknown;
}

interface HostileField {
  fields: readonly string[];
  code: ErrorCode;
  why: string;
}

/** Fields that make a client run code, read local files or act as someone else; see CVE-2022-24817. */
const HOSTILE_USER_FIELDS: readonly HostileField[] = [
  {
    fields: ['exec'],
    code: 'KUBECONFIG_EXEC_FORBIDDEN',
    why: 'runs a program on the CloudPilot host',
  },
  {
    fields: ['auth-provider'],
    code: 'KUBECONFIG_AUTH_PROVIDER_FORBIDDEN',
    why: 'relies on an auth-provider plugin that runs commands and writes files',
  },
  // client-node reads "token-file" too, synchronously, from CloudPilot's own disk.
  {
    fields: ['tokenFile', 'token-file', 'client-certificate', 'client-key'],
    code: 'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
    why: 'reads a file on the CloudPilot host; inline it with token or the *-data field',
  },
  {
    fields: ['username', 'password'],
    code: 'KUBECONFIG_BASIC_AUTH_FORBIDDEN',
    why: 'uses basic authentication; use a token or a client certificate',
  },
  {
    fields: ['as', 'as-uid', 'as-groups', 'as-user-extra'],
    code: 'KUBECONFIG_IMPERSONATION_FORBIDDEN',
    why: "impersonates another identity; register that identity's own credential",
  },
];

const HOSTILE_CLUSTER_FIELDS: readonly HostileField[] = [
  {
    fields: ['certificate-authority'],
    code: 'KUBECONFIG_FILE_REFERENCE_FORBIDDEN',
    why: 'reads a CA file on the CloudPilot host; inline it with certificate-authority-data',
  },
  {
    fields: ['proxy-url'],
    code: 'KUBECONFIG_PROXY_FORBIDDEN',
    why: 'routes traffic through a proxy, which would bypass the address checks',
  },
];

const CERTIFICATE_LABELS = ['CERTIFICATE'];
const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----/g;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const TLS_SERVER_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
// Visible ASCII only: a token goes into an HTTP header, where CR/LF would inject headers.
const TOKEN = /^[\x21-\x7e]{1,16384}$/;

/** Names come from the upload: quoted and cut short so a message stays readable. */
function quote(name: unknown): string {
  return JSON.stringify(String(name).slice(0, 80));
}

function subjectOf(fault: Fault): string {
  if (fault.user !== undefined)
    return `User ${quote(fault.user)} (context ${quote(fault.context)})`;
  if (fault.cluster !== undefined)
    return `Cluster ${quote(fault.cluster)} (context ${quote(fault.context)})`;
  return `Context ${quote(fault.context)}`;
}

function refuse(code: ErrorCode, fault: Fault, message: string): AppError {
  return new AppError(code, `${subjectOf(fault)} ${message}`, { ...fault });
}

function invalidFile(message: string, details?: Mapping): AppError {
  return new AppError('KUBECONFIG_INVALID', `The kubeconfig ${message}`, details);
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Set means anything but absent, null or empty: `exec: {}` is still an exec user. */
function isSet(mapping: Mapping, field: string): boolean {
  const value = Object.hasOwn(mapping, field) ? mapping[field] : undefined;
  return value !== undefined && value !== null && value !== '';
}

/** YAML → plain object, refusing oversize input, alias bombs, duplicate keys and unknown tags. */
function readDocument(text: string): Mapping {
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

function indexKubeconfig(config: Mapping): KubeconfigIndex {
  return {
    clusters: namedEntries(config, 'clusters', 'cluster'),
    users: namedEntries(config, 'users', 'user'),
    contexts: namedEntries(config, 'contexts', 'context'),
    currentContext: config['current-context'],
  };
}

function selectContexts(index: KubeconfigIndex, contextName: string | undefined): string[] {
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
function referenced(
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

function refuseHostileFields(entry: Mapping, rules: readonly HostileField[], fault: Fault): void {
  for (const rule of rules) {
    const field = rule.fields.find((f) => isSet(entry, f));
    if (field) throw refuse(rule.code, { ...fault, field }, `sets ${field}, which ${rule.why}`);
  }
}

function optionalString(
  entry: Mapping,
  field: string,
  fault: Fault,
  pattern?: RegExp,
): string | undefined {
  if (!isSet(entry, field)) return undefined;
  const value = entry[field];
  if (typeof value !== 'string' || (pattern && !pattern.test(value))) {
    throw refuse('KUBECONFIG_INVALID', { ...fault, field }, `has an invalid ${field}`);
  }
  return value;
}

/**
 * Strict base64 of text holding PEM blocks of the expected labels; returns the base64 without
 * line breaks and the decoded PEM text. Messages say what is wrong, never what was found.
 */
function decodePemData(
  entry: Mapping,
  field: string,
  labels: readonly string[],
  fault: Fault,
): { data: string; pem: string } {
  const where = { ...fault, field };
  const raw = entry[field];
  const data = typeof raw === 'string' ? raw.replace(/\s+/g, '') : '';
  if (data === '' || !BASE64.test(data))
    throw refuse('KUBECONFIG_INVALID', where, `has a ${field} that is not base64`);
  const pem = Buffer.from(data, 'base64').toString('latin1');
  const found = [...pem.matchAll(PEM_BLOCK)].map((m) => m[1]);
  if (found.length === 0 || !found.every((label) => labels.includes(label))) {
    throw refuse(
      'KUBECONFIG_INVALID',
      where,
      `has a ${field} that is not base64 of a PEM ${labels.join(' / ')} block`,
    );
  }
  return { data, pem };
}

/** Every certificate block must parse: an unusable CA or client cert would only fail later, vaguely. */
function parseCertificates(pem: string, field: string, fault: Fault): X509Certificate[] {
  try {
    return [...pem.matchAll(PEM_BLOCK)].map((m) => new X509Certificate(m[0]));
  } catch {
    throw refuse(
      'KUBECONFIG_INVALID',
      { ...fault, field },
      `has a ${field} that is not a valid X.509 certificate`,
    );
  }
}

function readClientCertificate(user: Mapping, fault: Fault): ClusterAuth {
  const cert = decodePemData(user, 'client-certificate-data', CERTIFICATE_LABELS, fault);
  const key = decodePemData(user, 'client-key-data', KEY_LABELS, fault);
  const [certificate] = parseCertificates(cert.pem, 'client-certificate-data', fault);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key.pem);
  } catch {
    throw refuse(
      'KUBECONFIG_INVALID',
      { ...fault, field: 'client-key-data' },
      'has a client-key-data that is not an unencrypted private key',
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw refuse(
      'KUBECONFIG_INVALID',
      { ...fault, field: 'client-key-data' },
      'has a client-key-data that does not belong to its client-certificate-data',
    );
  }
  return { type: 'clientCertificate', certData: cert.data, keyData: key.data };
}

/** A token or a client certificate with its key, never both: ClusterAuth holds exactly one. */
function readCredentials(user: Mapping, fault: Fault): ClusterAuth {
  const hasToken = isSet(user, 'token');
  const hasCert = isSet(user, 'client-certificate-data');
  const hasKey = isSet(user, 'client-key-data');
  if (hasToken && (hasCert || hasKey)) {
    throw refuse(
      'KUBECONFIG_INVALID',
      fault,
      'has both a token and a client certificate; keep one',
    );
  }
  if (hasToken) {
    const token = optionalString(user, 'token', fault, TOKEN)!;
    return { type: 'token', token };
  }
  if (hasCert !== hasKey) {
    const field = hasCert ? 'client-key-data' : 'client-certificate-data';
    throw refuse(
      'KUBECONFIG_INVALID',
      { ...fault, field },
      `has ${hasCert ? 'a client certificate without its key' : 'a client key without its certificate'}`,
    );
  }
  if (!hasCert)
    throw refuse(
      'KUBECONFIG_NO_CREDENTIALS',
      fault,
      'has no token and no client-certificate-data with client-key-data',
    );
  return readClientCertificate(user, fault);
}

function readInsecureSkipTlsVerify(
  cluster: Mapping,
  policy: ConnectionPolicy,
  fault: Fault,
): boolean {
  const field = 'insecure-skip-tls-verify';
  const value = Object.hasOwn(cluster, field) ? cluster[field] : undefined;
  if (value === undefined || value === null || value === false) return false;
  if (value !== true)
    throw refuse(
      'KUBECONFIG_INVALID',
      { ...fault, field },
      `has an ${field} that is not true or false`,
    );
  if (!policy.allowInsecureSkipTlsVerify) {
    throw refuse(
      'KUBECONFIG_INSECURE_TLS_FORBIDDEN',
      { ...fault, field },
      `sets ${field}, which the operator has not allowed`,
    );
  }
  return true;
}

/** The server through the URL guard, its refusal re-worded to name the cluster at fault. */
function checkedServer(cluster: Mapping, policy: ConnectionPolicy, fault: Fault): string {
  const server = cluster.server;
  if (typeof server !== 'string' || server === '')
    throw refuse('KUBECONFIG_INVALID', { ...fault, field: 'server' }, 'has no server URL');
  try {
    return formatServerUrl(assertSafeServerUrl(server, policy));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = isMapping(error.details) ? error.details : {};
    throw new AppError(error.code, `${subjectOf(fault)}: ${error.message}`, {
      ...details,
      ...fault,
      field: 'server',
    });
  }
}

function readCluster(
  cluster: Mapping,
  policy: ConnectionPolicy,
  fault: Fault,
): Omit<ClusterConnection, 'auth'> {
  refuseHostileFields(cluster, HOSTILE_CLUSTER_FIELDS, fault);
  const insecure = readInsecureSkipTlsVerify(cluster, policy, fault);
  const ca = isSet(cluster, 'certificate-authority-data')
    ? decodePemData(cluster, 'certificate-authority-data', CERTIFICATE_LABELS, fault)
    : undefined;
  if (ca) parseCertificates(ca.pem, 'certificate-authority-data', fault);
  const tlsServerName = optionalString(cluster, 'tls-server-name', fault, TLS_SERVER_NAME);
  const server = checkedServer(cluster, policy, fault);
  return {
    server,
    ...(ca && { caData: ca.data }),
    ...(insecure && { insecureSkipTlsVerify: true }),
    ...(tlsServerName !== undefined && { tlsServerName }),
  };
}

function resolveContext(
  index: KubeconfigIndex,
  context: string,
  policy: ConnectionPolicy,
): ParsedContext {
  const [clusterName, cluster] = referenced(index, context, 'cluster');
  const [userName, user] = referenced(index, context, 'user');
  const userFault: Fault = { context, user: userName };
  const clusterFault: Fault = { context, cluster: clusterName };
  refuseHostileFields(user, HOSTILE_USER_FIELDS, userFault);
  const auth = readCredentials(user, userFault);
  const connection = { ...readCluster(cluster, policy, clusterFault), auth };
  const namespace = optionalString(
    index.contexts.get(context)!,
    'namespace',
    { context, field: 'namespace' },
    DNS_LABEL,
  );
  return {
    context,
    cluster: clusterName,
    user: userName,
    ...(namespace !== undefined && { namespace }),
    connection,
  };
}

/**
 * Reads an attacker-controlled kubeconfig into connections CloudPilot can store, or refuses it
 * whole with a 400 naming the context, cluster or user at fault (never a credential).
 *
 * `contextName`: omitted or empty → the current-context; a name → that context; `'*'`
 * ({@link ALL_CONTEXTS}) → every context, for importing several clusters at once. Only the
 * contexts being imported, and the clusters and users they name, are checked: an unused exec user
 * elsewhere in a personal kubeconfig does not block importing a token context.
 *
 * Refusals: `KUBECONFIG_INVALID` (not YAML of kind Config, over {@link MAX_KUBECONFIG_BYTES},
 * alias bomb, duplicate names, wrong field types, data that is not base64 of a usable PEM block,
 * certificate without key or not matching it, token and certificate both set),
 * `KUBECONFIG_CONTEXT_NOT_FOUND`, `KUBECONFIG_EXEC_FORBIDDEN`, `KUBECONFIG_AUTH_PROVIDER_FORBIDDEN`,
 * `KUBECONFIG_FILE_REFERENCE_FORBIDDEN` (tokenFile, client-certificate, client-key,
 * certificate-authority), `KUBECONFIG_BASIC_AUTH_FORBIDDEN`, `KUBECONFIG_IMPERSONATION_FORBIDDEN`,
 * `KUBECONFIG_PROXY_FORBIDDEN`, `KUBECONFIG_INSECURE_TLS_FORBIDDEN`, `KUBECONFIG_NO_CREDENTIALS`,
 * and the `CLUSTER_URL_*` codes of {@link assertSafeServerUrl} for the server.
 *
 * Build clients only from the returned `connection`, never from the uploaded text.
 * @see https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/
 */
export function parseUntrustedKubeconfig(
  text: string,
  policy: ConnectionPolicy,
  contextName?: string,
): ParsedContext[] {
  const index = indexKubeconfig(readDocument(text));
  return selectContexts(index, contextName).map((context) =>
    resolveContext(index, context, policy),
  );
}
