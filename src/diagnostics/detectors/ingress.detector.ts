import type { IngressBackendRef, IngressRecord } from '../../cluster-state/records/networking';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

const ref = (i: IngressRecord) => ({
  group: 'networking.k8s.io',
  kind: 'Ingress',
  namespace: i.namespace,
  name: i.name,
});

/** The Service port a backend names exists, by number (port) or by name. */
function portExists(ports: Record<string, any>[], port: number | string | undefined): boolean {
  if (port === undefined) return true;
  return ports.some((p) => (typeof port === 'number' ? p.port === port : p.name === port));
}

function backendFinding(
  input: DetectorInput,
  i: IngressRecord,
  b: IngressBackendRef,
): RawFinding | undefined {
  const service = input.get('services', b.service, i.namespace);
  const fields = { [`backend ${b.at}`]: { service: b.service, port: b.port } };
  if (!service)
    return {
      code: 'INGRESS_MISSING_SERVICE',
      severity: 'critical',
      object: ref(i),
      message: `The rule ${b.at} sends traffic to Service ${b.service}, which does not exist in ${i.namespace}.`,
      fields,
      suggestion: `Create Service ${b.service} in ${i.namespace} or point the rule at an existing Service.`,
    };
  const ports: Record<string, any>[] = Array.isArray(service.spec.ports) ? service.spec.ports : [];
  if (service.spec.type !== 'ExternalName' && !portExists(ports, b.port))
    return {
      code: 'INGRESS_MISSING_PORT',
      severity: 'critical',
      object: ref(i),
      message: `The rule ${b.at} uses port ${b.port} of Service ${b.service}, which has no such port.`,
      fields: { ...fields, 'service.spec.ports': ports.map((p) => p.name ?? p.port) },
      suggestion: `Use one of the Service\u2019s ports (${ports.map((p) => p.name ?? p.port).join(', ')}) in the rule.`,
    };
  return undefined;
}

/** Ingress rules whose backend Service or port does not exist, and TLS Secrets that do not exist (metadata only). */
export function ingresses(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const i of input.list('ingresses')) {
    for (const b of i.backends) {
      const found = backendFinding(input, i, b);
      if (found) findings.push(found);
    }
    if (!input.caches('secrets')) continue;
    const missing = i.tlsSecrets.filter((s) => !input.get('secrets', s, i.namespace));
    if (missing.length)
      findings.push({
        code: 'INGRESS_MISSING_TLS_SECRET',
        severity: 'warning',
        object: ref(i),
        message: `The TLS Secret ${missing.join(', ')} does not exist: the controller serves its default certificate.`,
        fields: { 'spec.tls[].secretName': missing },
        suggestion: `Create the kubernetes.io/tls Secret ${missing[0]} in ${i.namespace} (or let cert-manager issue it).`,
      });
  }
  return findings;
}
