import { runValidations } from '../../istio-gateway/validations/run-validations';
import type {
  MeshSnapshot,
  Severity as IstioSeverity,
} from '../../istio-gateway/validations/snapshot';
import type { CachedKindName } from '../../monitor/cluster-snapshot';
import { RawFinding, Severity } from '../finding';
import { Detector, DetectorInput } from './detector';

const SEVERITY: Record<IstioSeverity, Severity> = {
  error: 'critical',
  warning: 'warning',
  info: 'info',
};

/** A kind's records, or null when it is not cached here (the Istio check that needs it is skipped). */
function part<K extends CachedKindName>(input: DetectorInput, kind: K): any[] | null {
  return input.caches(kind) ? input.list(kind) : null;
}

function meshSnapshot(input: DetectorInput): MeshSnapshot {
  return {
    gateways: part(input, 'istioGateways'),
    virtualServices: part(input, 'virtualServices'),
    destinationRules: part(input, 'destinationRules'),
    serviceEntries: part(input, 'serviceEntries'),
    services: part(input, 'services'),
    pods: part(input, 'pods'),
    secrets: part(input, 'secrets'),
    k8sGateways: part(input, 'k8sGateways'),
    httpRoutes: part(input, 'httpRoutes'),
  };
}

/**
 * The Istio and Gateway API validations (src/istio-gateway/validations, unchanged) run over the
 * same snapshot and become findings of the one type: same code, error → critical, with the
 * offending field's path and the Kiali/istioctl equivalents as evidence.
 */
export const istio: Detector = {
  name: 'istio',
  needs: [],
  detect(input) {
    const anyMesh = (
      ['istioGateways', 'virtualServices', 'destinationRules', 'k8sGateways', 'httpRoutes'] as const
    ).some((k) => input.caches(k));
    if (!anyMesh) return [];
    return runValidations(meshSnapshot(input)).findings.map((f): RawFinding => ({
      code: f.code,
      severity: SEVERITY[f.severity],
      object: f.object,
      message: f.message,
      fields: { path: f.path, kialiCode: f.kialiCode, istioctlCode: f.istioctlCode },
      suggestion: f.suggestedFix,
      source: 'istio',
    }));
  },
};
