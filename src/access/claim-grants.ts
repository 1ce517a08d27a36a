import type { JwtClaims } from '../auth/oidc/jwt-verification';
import type { Grant } from '../common/access-grants';
import type { GrantMapping } from '../config/config.types';

/** What a verified JWT says about its holder, as the grant mappings match it. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  groups: readonly string[];
  /** Set only when the issuer says the address is verified. */
  emailDomain?: string;
  /** The cluster a ServiceAccount token came from: its grants default to that cluster. */
  clusterId?: string;
}

export function identityOf(
  claims: JwtClaims,
  issuer: string,
  clusterId?: string,
): VerifiedIdentity {
  const groups = Array.isArray(claims.groups)
    ? claims.groups.filter((g): g is string => typeof g === 'string')
    : [];
  const email =
    typeof claims.email === 'string' && claims.email_verified === true ? claims.email : '';
  const at = email.lastIndexOf('@');
  return {
    issuer,
    subject: String(claims.sub),
    groups,
    ...(at > 0 ? { emailDomain: email.slice(at + 1).toLowerCase() } : {}),
    ...(clusterId ? { clusterId } : {}),
  };
}

function matches(m: GrantMapping, who: VerifiedIdentity): boolean {
  if (m.issuer && m.issuer !== who.issuer) return false;
  if (m.serviceAccount) return !!who.clusterId && m.serviceAccount === who.subject;
  // A ServiceAccount token is matched only by serviceAccount mappings: a person's mapping by
  // subject or group must not hand grants to a bot that happens to carry the same text.
  if (who.clusterId) return false;
  if (m.subject && m.subject !== who.subject) return false;
  if (m.group && !who.groups.includes(m.group)) return false;
  if (m.emailDomain && m.emailDomain !== who.emailDomain) return false;
  return true;
}

/**
 * The grants of every mapping that matches (all set fields must hold); empty means the holder is
 * known to no mapping and is refused. A ServiceAccount's grants name no cluster by default but its own.
 */
export function grantsFor(mappings: readonly GrantMapping[], who: VerifiedIdentity): Grant[] {
  const grants = mappings.filter((m) => matches(m, who)).flatMap((m) => m.grants);
  if (!who.clusterId) return grants;
  return grants.map((g) =>
    g.clusters || g.clusterLabels ? g : { ...g, clusters: [who.clusterId!] },
  );
}
