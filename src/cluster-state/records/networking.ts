import { arrayOf, K8sObject } from './object-fields';
import { LabelSelector } from './owner';

export interface IngressBackendRef {
  service: string;
  /** The port by number or by name, as the rule writes it. */
  port?: number | string;
  /** Where it appears (`default`, or `host/path`), for the evidence. */
  at: string;
}

export interface IngressRecord {
  name: string;
  namespace: string;
  backends: IngressBackendRef[];
  tlsSecrets: string[];
  /** spec.ingressClassName, or the older `kubernetes.io/ingress.class` annotation. */
  className?: { name: string; from: 'spec.ingressClassName' | 'annotation' };
}

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface NetworkPolicyRecord {
  name: string;
  namespace: string;
  podSelector: LabelSelector;
}

/** An IngressClass: whether it is the cluster's default. */
export interface IngressClassRecord {
  name: string;
  controller: string;
  isDefault: boolean;
}

/** Ready and total endpoints of one slice, and the Service it belongs to. */
export interface EndpointSliceRecord {
  name: string;
  namespace: string;
  service: string;
  ready: number;
  total: number;
}

function backendOf(backend: K8sObject | undefined, at: string): IngressBackendRef | undefined {
  const service = backend?.service;
  if (!service?.name) return undefined;
  const port = service.port?.number ?? service.port?.name;
  return { service: String(service.name), ...(port !== undefined ? { port } : {}), at };
}

export function slimIngress(object: K8sObject): IngressRecord {
  const spec = object.spec ?? {};
  const backends: IngressBackendRef[] = [];
  const fallback = backendOf(spec.defaultBackend, 'default');
  if (fallback) backends.push(fallback);
  for (const rule of arrayOf(spec.rules))
    for (const path of arrayOf(rule.http?.paths)) {
      const ref = backendOf(path.backend, `${rule.host ?? '*'}${path.path ?? '/'}`);
      if (ref) backends.push(ref);
    }
  const annotated = object.metadata?.annotations?.[CLASS_ANNOTATION];
  const className = spec.ingressClassName
    ? { name: String(spec.ingressClassName), from: 'spec.ingressClassName' as const }
    : annotated
      ? { name: String(annotated), from: 'annotation' as const }
      : undefined;
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    ...(className ? { className } : {}),
    backends,
    tlsSecrets: arrayOf(spec.tls)
      .map((t) => t.secretName)
      .filter((s): s is string => typeof s === 'string' && s.length > 0),
  };
}

export function slimNetworkPolicy(object: K8sObject): NetworkPolicyRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    podSelector: object.spec?.podSelector ?? {},
  };
}

export function slimEndpointSlice(object: K8sObject): EndpointSliceRecord {
  const endpoints = arrayOf(object.endpoints);
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    service: String(object.metadata?.labels?.['kubernetes.io/service-name'] ?? ''),
    // An absent `ready` means ready (discovery.k8s.io/v1 semantics).
    ready: endpoints.filter((e) => e.conditions?.ready !== false).length,
    total: endpoints.length,
  };
}

export function slimIngressClass(object: K8sObject): IngressClassRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    controller: String(object.spec?.controller ?? ''),
    isDefault:
      object.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
  };
}
