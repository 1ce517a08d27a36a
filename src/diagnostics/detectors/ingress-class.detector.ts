import type { IngressRecord } from '../../cluster-state/records/networking';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

const ANNOTATION = 'metadata.annotations[kubernetes.io/ingress.class]';

function missingClass(input: DetectorInput, i: IngressRecord): RawFinding | undefined {
  const cls = i.className;
  if (!cls || input.get('ingressclasses', cls.name)) return undefined;
  const annotation = cls.from === 'annotation';
  const existing = input.list('ingressclasses').map((c) => c.name);
  return {
    code: 'INGRESS_CLASS_NOT_FOUND',
    // Some controllers still match the deprecated annotation against their own flag, with no
    // IngressClass object: probably, not certainly, unserved.
    severity: annotation ? 'warning' : 'critical',
    object: { group: 'networking.k8s.io', kind: 'Ingress', namespace: i.namespace, name: i.name },
    message: `The Ingress asks for IngressClass ${cls.name}, which does not exist: no controller serves it${annotation ? ' (unless one still reads the deprecated annotation)' : ''}.`,
    fields: {
      [annotation ? ANNOTATION : 'spec.ingressClassName']: cls.name,
      ingressClasses: existing,
    },
    suggestion: existing.length
      ? `Set spec.ingressClassName to one of ${existing.join(', ')}, or install the controller of class ${cls.name}.`
      : `Install an ingress controller (it creates its IngressClass ${cls.name}), or fix the class name.`,
    causes: [`IngressClass ${cls.name}`],
  };
}

/** Ingresses naming an IngressClass (field or annotation) that does not exist. */
export function ingressClasses(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const i of input.list('ingresses')) {
    const found = missingClass(input, i);
    if (found) findings.push(found);
  }
  return findings;
}
