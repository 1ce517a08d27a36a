import type { RawFinding } from '../../cluster-state/finding';
import { runValidations } from '../../istio-gateway/validations/run-validations';
import type { MeshSnapshot } from '../../istio-gateway/validations/snapshot';
import type { CachedKindName } from '../../monitor/cluster-snapshot';
import { DetectorInput } from './detector';

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
 * The Istio and Gateway API validations (src/istio-gateway/validations) over the same snapshot:
 * they emit the one finding type, with the offending field's path and the Kiali/istioctl
 * equivalents as evidence fields.
 */
export function istio(input: DetectorInput): RawFinding[] {
  const anyMesh = (
    ['istioGateways', 'virtualServices', 'destinationRules', 'k8sGateways', 'httpRoutes'] as const
  ).some((k) => input.caches(k));
  if (!anyMesh) return [];
  return runValidations(meshSnapshot(input)).findings;
}
