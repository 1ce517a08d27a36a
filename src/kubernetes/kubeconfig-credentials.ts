import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { ClusterAuth, ClusterConnection, ConnectionPolicy } from './cluster-connection';
import { Fault, isMapping, isSet, Mapping, refuse, subjectOf } from './kubeconfig-document';
import { assertSafeServerUrl, formatServerUrl } from './server-url-guard';

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
const TLS_SERVER_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
// Visible ASCII only: a token goes into an HTTP header, where CR/LF would inject headers.
const TOKEN = /^[\x21-\x7e]{1,16384}$/;

function refuseHostileFields(entry: Mapping, rules: readonly HostileField[], fault: Fault): void {
  for (const rule of rules) {
    const field = rule.fields.find((f) => isSet(entry, f));
    if (field) throw refuse(rule.code, { ...fault, field }, `sets ${field}, which ${rule.why}`);
  }
}

export function optionalString(
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

export function readCluster(
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

/** A user entry's credential, after refusing the fields that would make a client run code or read files. */
export function readUser(user: Mapping, fault: Fault): ClusterAuth {
  refuseHostileFields(user, HOSTILE_USER_FIELDS, fault);
  return readCredentials(user, fault);
}
