import { findKind, KindDescriptor } from '../kubernetes/kinds';

/** A route segment of the Istio or Gateway API routes and the kind it means. */
export interface MeshKind {
  segment: string;
  descriptor: KindDescriptor;
}

function kind(segment: string, key: string): MeshKind {
  const descriptor = findKind(key);
  if (!descriptor) throw new Error(`kinds.ts has no ${key}`);
  return { segment, descriptor };
}

/** The Istio kinds CloudPilot manages, by their route segment. */
export const ISTIO_KINDS: readonly MeshKind[] = [
  kind('gateways', 'gateways.networking.istio.io'),
  kind('virtual-services', 'virtualservices.networking.istio.io'),
  kind('destination-rules', 'destinationrules.networking.istio.io'),
];

/** The Gateway API kinds CloudPilot reads. */
export const GATEWAY_API_KINDS: readonly MeshKind[] = [
  kind('gateways', 'gateways.gateway.networking.k8s.io'),
  kind('http-routes', 'httproutes.gateway.networking.k8s.io'),
];

export const ISTIO_GROUP = 'networking.istio.io';
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
