import { X509Certificate } from 'node:crypto';
import { conditionTrue, K8sObject } from './object-fields';

/**
 * When a TLS certificate stops being valid, from one of two sources. Only dates and names are
 * kept: never a key, never the certificate's bytes.
 */
export interface CertificateRecord {
  name: string;
  namespace: string;
  /** cert-manager: a Certificate's status; secret: the tls.crt of a kubernetes.io/tls Secret. */
  source: 'cert-manager' | 'secret';
  /** The Secret holding (or to hold) the certificate. */
  secretName: string;
  /** ISO times; null when not known (cert-manager has not issued yet, or tls.crt is unreadable). */
  notBefore: string | null;
  notAfter: string | null;
  /** cert-manager only: when it will try to renew. */
  renewalTime: string | null;
  dnsNames: string[];
  issuer: string | null;
  /** cert-manager's Ready condition; null for Secrets (nothing renews them by itself). */
  ready: boolean | null;
  /** Why the dates are unknown, for a Secret whose tls.crt does not parse. */
  problem?: string;
}

const isoOrNull = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** A cert-manager.io/v1 Certificate: its status says when the issued certificate expires. */
export function slimCertManagerCertificate(object: K8sObject): CertificateRecord {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    source: 'cert-manager',
    secretName: String(spec.secretName ?? ''),
    notBefore: isoOrNull(status.notBefore),
    notAfter: isoOrNull(status.notAfter),
    renewalTime: isoOrNull(status.renewalTime),
    dnsNames: strings(spec.dnsNames),
    issuer: spec.issuerRef?.name ? String(spec.issuerRef.name) : null,
    ready: conditionTrue(object, 'Ready'),
  };
}

const FIRST_PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * A kubernetes.io/tls Secret, reduced to its leaf certificate's dates and names. Only
 * `data["tls.crt"]` is decoded; `tls.key` is never touched, and nothing of the Secret but its name
 * survives this function (the object itself is dropped by the caller right after).
 */
export function slimTlsSecretCertificate(object: K8sObject): CertificateRecord {
  const base: CertificateRecord = {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    source: 'secret',
    secretName: String(object.metadata?.name ?? ''),
    notBefore: null,
    notAfter: null,
    renewalTime: null,
    dnsNames: [],
    issuer: null,
    ready: null,
  };
  const encoded: unknown = object.data?.['tls.crt'];
  if (typeof encoded !== 'string') return { ...base, problem: 'no tls.crt' };
  const pem = FIRST_PEM_CERTIFICATE.exec(Buffer.from(encoded, 'base64').toString('latin1'));
  if (!pem) return { ...base, problem: 'tls.crt holds no PEM certificate' };
  try {
    const leaf = new X509Certificate(pem[0]);
    return {
      ...base,
      notBefore: isoOrNull(leaf.validFrom),
      notAfter: isoOrNull(leaf.validTo),
      dnsNames: dnsNamesOf(leaf.subjectAltName),
      issuer: leaf.issuer.replace(/\n/g, ', ') || null,
    };
  } catch {
    return { ...base, problem: 'tls.crt does not parse as an X.509 certificate' };
  }
}

/** "DNS:a.example, IP Address:10.0.0.1, DNS:b.example" → the DNS names. */
function dnsNamesOf(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
}
