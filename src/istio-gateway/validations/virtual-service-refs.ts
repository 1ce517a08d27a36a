import { asArray, asStrings } from './hosts';
import { nsOf, Obj } from './snapshot';

export type GatewayRef = { namespace: string; name: string } | 'mesh';

/**
 * What a VirtualService's gateway reference names: `mesh`, `namespace/name`, a short name in the
 * VirtualService's namespace, or the legacy `name.namespace[.svc.cluster.local]` form.
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): GatewayRef {
  if (ref === 'mesh') return 'mesh';
  const slash = ref.indexOf('/');
  if (slash >= 0) return { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
  const parts = ref.split('.');
  if (parts.length >= 2) return { namespace: parts[1], name: parts[0] };
  return { namespace: vsNamespace, name: ref };
}

export interface RefAt {
  ref: string;
  path: string;
}

/** Every gateway reference of a VirtualService with its JSON path (spec.gateways and per-match gateways). */
export function gatewayRefs(vs: Obj): RefAt[] {
  const top = asStrings(vs.spec?.gateways).map((ref, i) => ({ ref, path: `spec.gateways[${i}]` }));
  const perMatch = asArray(vs.spec?.http).flatMap((route, i) =>
    asArray(route?.match).flatMap((m, j) =>
      asStrings(m?.gateways).map((ref, k) => ({
        ref,
        path: `spec.http[${i}].match[${j}].gateways[${k}]`,
      })),
    ),
  );
  return [...top, ...perMatch];
}

/** The gateways a VirtualService's hosts are bound to; none listed means the mesh. */
export function boundGateways(vs: Obj): GatewayRef[] {
  const refs = asStrings(vs.spec?.gateways);
  return (refs.length ? refs : ['mesh']).map((r) => resolveGatewayRef(r, nsOf(vs)));
}

export interface DestinationAt {
  destination: { host?: unknown; subset?: unknown; port?: unknown };
  weight: unknown;
  path: string;
}

export interface RouteAt {
  destinations: DestinationAt[];
  path: string;
}

/** Each http, tcp and tls route of a VirtualService with its destinations and their paths. */
export function routes(vs: Obj): RouteAt[] {
  return (['http', 'tcp', 'tls'] as const).flatMap((proto) =>
    asArray(vs.spec?.[proto]).map((route, i) => ({
      path: `spec.${proto}[${i}].route`,
      destinations: asArray(route?.route).map((d, j) => ({
        destination: d?.destination ?? {},
        weight: d?.weight,
        path: `spec.${proto}[${i}].route[${j}]`,
      })),
    })),
  );
}

export function findGateway(
  gateways: Obj[],
  ref: { namespace: string; name: string },
): Obj | undefined {
  return gateways.find((g) => g.metadata.name === ref.name && nsOf(g) === ref.namespace);
}
