import { nsOf, Obj } from './snapshot';

/**
 * Host names as Istio resolves them. The cluster domain is assumed to be cluster.local, which is
 * what Istio assumes unless the mesh config says otherwise.
 */
export const CLUSTER_DOMAIN = 'svc.cluster.local';

/**
 * The FQDN a destination or DestinationRule host means when written in `namespace`: Istio expands
 * a short name (`reviews`) in the object's own namespace, and `reviews.bookinfo` or
 * `reviews.bookinfo.svc` to the cluster-local FQDN. Anything else is taken literally (external
 * hosts, ServiceEntry hosts, wildcards).
 */
export function resolveHost(host: string, namespace: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h.includes('*')) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${namespace}.${CLUSTER_DOMAIN}`;
  if (parts.length === 2) return `${h}.${CLUSTER_DOMAIN}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${h}.cluster.local`;
  return h;
}

/** True when a host pattern (`*`, `*.example.com` or exact) covers a concrete or wildcard host. */
export function hostCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*' || p === h) return true;
  if (!p.startsWith('*.')) return false;
  const suffix = p.slice(1); // ".example.com"
  return h.endsWith(suffix) && h.length > suffix.length;
}

/** Two host patterns that some real host satisfies both: either covers the other. */
export function hostsIntersect(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/** `name.namespace.svc.cluster.local` → {name, namespace}; null for any other form. */
export function serviceOfFqdn(fqdn: string): { name: string; namespace: string } | null {
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return null;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  return parts.length === 2 ? { name: parts[0], namespace: parts[1] } : null;
}

/**
 * Whether an object with Istio's `exportTo` semantics is visible from `namespace`: absent or `*`
 * is everywhere, `.` its own namespace, `~` nowhere, else the namespaces listed.
 */
export function visibleFrom(exportTo: unknown, ownNamespace: string, namespace: string): boolean {
  if (!Array.isArray(exportTo) || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || (e === '.' && ownNamespace === namespace) || e === namespace);
}

/** A Service's exportTo lives in an annotation (comma-separated), as Istio reads it. */
export function serviceExportTo(service: Obj): string[] | undefined {
  const raw = service.metadata.annotations?.['networking.istio.io/exportTo'];
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

/**
 * Whether a resolved host exists for clients in `fromNamespace`: a Service with that FQDN, or a
 * ServiceEntry host (wildcards included) that is exported there.
 */
export function hostExists(fqdn: string, fromNamespace: string, services: Obj[], serviceEntries: Obj[]): boolean {
  const svc = serviceOfFqdn(fqdn);
  if (svc && services.some((s) => s.metadata.name === svc.name && nsOf(s) === svc.namespace && visibleFrom(serviceExportTo(s), nsOf(s), fromNamespace))) return true;
  return serviceEntries.some(
    (se) => visibleFrom(se.spec?.exportTo, nsOf(se), fromNamespace) && asStrings(se.spec?.hosts).some((h) => hostCovers(resolveHost(h, nsOf(se)), fqdn)),
  );
}

export function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Every label of the selector is on the pod (an empty selector matches nothing here: callers decide). */
export function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
