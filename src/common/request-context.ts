import { randomUUID } from 'node:crypto';
import { AccessScope, everywhere } from './access-grants';
import { asyncScope } from './async-scope';
import type { Role } from './roles';

/** How the caller proved who it is. */
export type PrincipalKind = 'token' | 'oidc' | 'serviceaccount' | 'dev';

export interface Principal {
  name: string;
  /** The best role of its grants: what role-only routes compare. */
  role: Role;
  tokenId: string | null;
  kind: PrincipalKind;
  /** Its grants, compiled: every cluster, namespace and object check asks this. */
  scope: AccessScope;
}

export type { Role } from './roles';

/** A principal that may do everything: the env admin token, and everyone when auth is off. */
export function adminEverywhere(name: string, kind: PrincipalKind): Principal {
  return { name, role: 'admin', tokenId: null, kind, scope: new AccessScope(everywhere('admin')) };
}

/** Per-request facts shared by logging, auth, audit and metrics without threading them through calls. */
export interface RequestContext {
  requestId: string;
  method: string;
  path: string;
  route?: string;
  principal?: Principal;
  resultCode?: string;
  /**
   * What of a response the caller may see (set by the access guard when its grants restrict it):
   * returns the data without what lies outside them, or undefined when all of it does.
   */
  visible?: (data: unknown) => unknown;
  /** Extra facts for this request's audit row (e.g. the LLM session an approval came from). */
  auditNote?: string;
}

export const requestContext = asyncScope<RequestContext>();

const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id is honoured only when it cannot inject anything into logs or headers. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && WELL_FORMED_REQUEST_ID.test(value) ? value : randomUUID();
}
