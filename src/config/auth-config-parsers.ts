import type { Grant } from '../common/access-grants';
import { ROLES } from '../common/roles';
import type { GrantMapping, OidcIssuerConfig } from './config.types';
import {
  httpUrl,
  intRange,
  listOf,
  mappingOf,
  nonEmpty,
  Parser,
  structured,
} from './config-parsers';

/**
 * Asymmetric algorithms only. `none` and the HMAC family are never accepted: an HMAC "key" taken
 * from an issuer's public key is the classic forgery (RFC 8725 §2.1).
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

const ISSUER_FIELDS = new Set([
  'issuer',
  'audience',
  'algorithms',
  'jwksCooldownSeconds',
  'jwksMaxAgeSeconds',
]);
const MAPPING_FIELDS = new Set([
  'issuer',
  'subject',
  'group',
  'emailDomain',
  'serviceAccount',
  'grants',
]);
const GRANT_FIELDS = new Set(['role', 'clusters', 'clusterLabels', 'namespaces']);
const NAMESPACE_ENTRY = /^[a-z0-9*]([a-z0-9*-]{0,61}[a-z0-9*])?$/;
const SERVICE_ACCOUNT = /^system:serviceaccount:[a-z0-9-]{1,63}:[a-z0-9.-]{1,253}$/;

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
  return value;
}

export const oidcIssuers: Parser<OidcIssuerConfig[]> = (raw) =>
  list(structured(raw, 'list of issuers'), 'auth.oidcIssuers').map((entry, i) => {
    const e = mappingOf(entry, `issuer ${i}`, ISSUER_FIELDS);
    const algorithms = e.algorithms === undefined ? ['RS256', 'ES256'] : listOf(e.algorithms);
    const refused = algorithms.find(
      (a) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a),
    );
    if (refused)
      throw new Error(
        `issuer ${i}: algorithm ${refused} is not allowed (only ${ASYMMETRIC_ALGORITHMS.join(', ')})`,
      );
    return {
      issuer: httpUrl(e.issuer).replace(/\/+$/, ''),
      audience: nonEmpty(e.audience),
      algorithms,
      jwksCooldownSeconds:
        e.jwksCooldownSeconds === undefined ? 30 : intRange(0, 3600)(e.jwksCooldownSeconds),
      jwksMaxAgeSeconds:
        e.jwksMaxAgeSeconds === undefined ? 600 : intRange(1, 86400)(e.jwksMaxAgeSeconds),
    };
  });

export const grantMappings: Parser<GrantMapping[]> = (raw) =>
  list(structured(raw, 'list of mappings'), 'auth.grantMappings').map((entry, i) => {
    const e = mappingOf(entry, `mapping ${i}`, MAPPING_FIELDS);
    const text = (field: string) => (e[field] === undefined ? undefined : nonEmpty(e[field]));
    const mapping: GrantMapping = {
      issuer: text('issuer'),
      subject: text('subject'),
      group: text('group'),
      emailDomain: text('emailDomain')?.toLowerCase(),
      serviceAccount: text('serviceAccount'),
      grants: list(e.grants, `mapping ${i}.grants`).map((g, j) =>
        grant(g, `mapping ${i}.grants[${j}]`),
      ),
    };
    if (!mapping.subject && !mapping.group && !mapping.emailDomain && !mapping.serviceAccount)
      throw new Error(`mapping ${i} must match on subject, group, emailDomain or serviceAccount`);
    if (mapping.serviceAccount && !SERVICE_ACCOUNT.test(mapping.serviceAccount))
      throw new Error(
        `mapping ${i}: serviceAccount must be system:serviceaccount:<namespace>:<name>`,
      );
    return mapping;
  });

function grant(value: unknown, where: string): Grant {
  const g = mappingOf(value, where, GRANT_FIELDS);
  if (!(ROLES as readonly unknown[]).includes(g.role))
    throw new Error(`${where}.role must be one of ${ROLES.join(', ')}`);
  const names = (field: string) => (g[field] === undefined ? undefined : listOf(g[field]));
  const namespaces = names('namespaces');
  const bad = namespaces?.find((n) => !NAMESPACE_ENTRY.test(n));
  if (bad) throw new Error(`${where}.namespaces: ${JSON.stringify(bad)} is not a name or pattern`);
  const labels = g.clusterLabels;
  if (
    labels !== undefined &&
    (typeof labels !== 'object' ||
      labels === null ||
      Array.isArray(labels) ||
      Object.values(labels).some((v) => typeof v !== 'string'))
  )
    throw new Error(`${where}.clusterLabels must be a mapping of strings`);
  return {
    role: g.role as Grant['role'],
    ...(names('clusters') ? { clusters: names('clusters') } : {}),
    ...(labels ? { clusterLabels: labels as Record<string, string> } : {}),
    ...(namespaces ? { namespaces } : {}),
  };
}
