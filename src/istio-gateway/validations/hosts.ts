import { nsOf, Obj } from './snapshot';

/**
 * Host names as Istio resolves them. The cluster domain is assumed to be cluster.local, which is
 * what Istio assumes unless the mesh config says otherwise.
 */
export const CLUSTER_DOMAIN = 'svc.cluster.local';

/**
 * The FQDN a destination or DestinationRule host means when written in `namespace`. Istio (and
 * istioctl analyze) expand only a name without dots (`reviews`), in the object's own namespace;
 * `reviews.prod` or `reviews.prod.svc` are taken literally and match no Service, however well
 * Kubernetes DNS resolves them. Anything else is literal too (external hosts, wildcards).
 */
export function resolveHost(host: string, namespace: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h.includes('.') || h.includes('*') ? h : `${h}.${namespace}.${CLUSTER_DOMAIN}`;
}

/** The FQDN a user most likely meant by `name.namespace` or `name.namespace.svc`, for a suggested fix. */
export function kubernetesDnsForm(host: string): string | null {
  const parts = host.toLowerCase().replace(/\.$/, '').split('.');
  if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc'))
    return `${parts[0]}.${parts[1]}.${CLUSTER_DOMAIN}`;
  return null;
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
  return exportTo.some(
    (e) => e === '*' || (e === '.' && ownNamespace === namespace) || e === namespace,
  );
}

/** A Service's exportTo lives in an annotation (comma-separated), as Istio reads it. */
export function serviceExportTo(service: Obj): string[] | undefined {
  const raw = service.metadata.annotations?.['networking.istio.io/exportTo'];
  return raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/**
 * Whether a resolved host exists for clients in `fromNamespace`: a Service with that FQDN, or a
 * ServiceEntry host (wildcards included) that is exported there.
 */
export function hostExists(
  fqdn: string,
  fromNamespace: string,
  services: Obj[],
  serviceEntries: Obj[],
): boolean {
  const svc = serviceOfFqdn(fqdn);
  if (
    svc &&
    services.some(
      (s) =>
        s.metadata.name === svc.name &&
        nsOf(s) === svc.namespace &&
        visibleFrom(serviceExportTo(s), nsOf(s), fromNamespace),
    )
  )
    return true;
  return serviceEntries.some(
    (se) =>
      visibleFrom(se.spec?.exportTo, nsOf(se), fromNamespace) &&
      asStrings(se.spec?.hosts).some((h) => hostCovers(resolveHost(h, nsOf(se)), fqdn)),
  );
}

/** Names the FQDN when the host is Kubernetes DNS shorthand for an existing Service, which Istio does not expand. */
export function hostFix(
  host: string,
  namespace: string,
  services: Obj[],
  serviceEntries: Obj[],
): string {
  const meant = kubernetesDnsForm(host);
  if (meant && hostExists(meant, namespace, services, serviceEntries))
    return `Istio expands only names without dots: write ${meant}`;
  return `Point at an existing Service (a name without dots resolves in ${namespace}; else use <name>.<namespace>.svc.cluster.local), or add a ServiceEntry for an external host`;
}

export function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Every label of the selector is on the pod (an empty selector matches nothing here: callers decide). */
export function labelsMatch(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
