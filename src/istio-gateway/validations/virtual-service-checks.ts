import { clashes, defineCheck } from './check';
import { bareHost } from './gateway-checks';
import {
  asArray,
  asStrings,
  hostCovers,
  hostExists,
  hostFix,
  hostsIntersect,
  resolveHost,
  visibleFrom,
} from './hosts';
import { nsOf, Obj } from './snapshot';
import {
  boundGateways,
  findGateway,
  gatewayRefs,
  resolveGatewayRef,
  routes,
} from './virtual-service-refs';

export const vsGatewayNotFound = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_VS_GATEWAY_NOT_FOUND',
    severity: 'critical',
    kialiCode: 'KIA1102',
    istioctlCode: 'IST0101',
    needs: ['virtualServices', 'gateways'],
  },
  (s, emit) =>
    s.virtualServices.flatMap((vs) =>
      gatewayRefs(vs).flatMap(({ ref, path }) => {
        const target = resolveGatewayRef(ref, nsOf(vs));
        if (target === 'mesh' || findGateway(s.gateways, target)) return [];
        return [
          emit(
            'VirtualService',
            vs,
            path,
            `Gateway ${target.namespace}/${target.name} does not exist`,
            `Create the Gateway, or reference an existing one as <namespace>/<name> (a short name means the VirtualService's namespace)`,
          ),
        ];
      }),
    ),
);

/**
 * Whether a Gateway server host admits a VirtualService host: its `namespace/` part must allow the
 * VirtualService's namespace (`*` any, `.` the Gateway's own), and the host parts must overlap
 * (wildcards on either side).
 */
export function serverAdmits(
  serverHost: string,
  gatewayNs: string,
  vsNs: string,
  vsHost: string,
): boolean {
  const slash = serverHost.indexOf('/');
  const nsPart = slash >= 0 ? serverHost.slice(0, slash) : '*';
  const nsOk = nsPart === '*' || (nsPart === '.' ? gatewayNs === vsNs : nsPart === vsNs);
  return nsOk && hostsIntersect(bareHost(serverHost), vsHost);
}

export const vsHostNotInGateway = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_VS_HOST_NOT_IN_GATEWAY',
    severity: 'warning',
    kialiCode: null,
    istioctlCode: 'IST0132',
    needs: ['virtualServices', 'gateways'],
  },
  (s, emit) =>
    s.virtualServices.flatMap((vs) =>
      boundGateways(vs).flatMap((ref) => {
        const gw = ref === 'mesh' ? undefined : findGateway(s.gateways, ref);
        if (!gw) return []; // mesh, or a missing Gateway (ISTIO_VS_GATEWAY_NOT_FOUND says so)
        const serverHosts = asArray(gw.spec?.servers).flatMap((srv) => asStrings(srv?.hosts));
        return asStrings(vs.spec?.hosts).flatMap((host, i) =>
          serverHosts.some((sh) => serverAdmits(sh, nsOf(gw), nsOf(vs), host))
            ? []
            : [
                emit(
                  'VirtualService',
                  vs,
                  `spec.hosts[${i}]`,
                  `Host ${host} is not among the hosts Gateway ${nsOf(gw)}/${gw.metadata.name} admits for namespace ${nsOf(vs)}`,
                  `Add ${host} (or a wildcard covering it, with a namespace part that allows ${nsOf(vs)}) to a server of the Gateway, or remove the host`,
                ),
              ],
        );
      }),
    ),
);

export const vsDestinationHostNotFound = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_VS_DESTINATION_HOST_NOT_FOUND',
    severity: 'warning',
    kialiCode: 'KIA1101',
    istioctlCode: 'IST0101',
    needs: ['virtualServices', 'services', 'serviceEntries'],
  },
  (s, emit) =>
    s.virtualServices.flatMap((vs) =>
      routes(vs).flatMap((r) =>
        r.destinations.flatMap(({ destination, path }) => {
          if (typeof destination.host !== 'string') return [];
          const fqdn = resolveHost(destination.host, nsOf(vs));
          if (fqdn.includes('*') || hostExists(fqdn, nsOf(vs), s.services, s.serviceEntries))
            return [];
          return [
            emit(
              'VirtualService',
              vs,
              `${path}.destination.host`,
              `Destination host ${destination.host} (${fqdn}) matches no Service or ServiceEntry visible from ${nsOf(vs)}`,
              hostFix(destination.host, nsOf(vs), s.services, s.serviceEntries),
            ),
          ];
        }),
      ),
    ),
);

/** DestinationRules that apply to a resolved host for clients in `fromNamespace` (exportTo honoured). */
export function rulesFor(fqdn: string, fromNamespace: string, rules: Obj[]): Obj[] {
  return rules.filter(
    (dr) =>
      typeof dr.spec?.host === 'string' &&
      hostCovers(resolveHost(dr.spec.host, nsOf(dr)), fqdn) &&
      visibleFrom(dr.spec?.exportTo, nsOf(dr), fromNamespace),
  );
}

export const vsSubsetNotFound = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_VS_SUBSET_NOT_FOUND',
    severity: 'warning',
    kialiCode: 'KIA1107',
    istioctlCode: 'IST0101',
    needs: ['virtualServices', 'destinationRules'],
  },
  (s, emit) =>
    s.virtualServices.flatMap((vs) =>
      routes(vs).flatMap((r) =>
        r.destinations.flatMap(({ destination, path }) => {
          if (typeof destination.host !== 'string' || typeof destination.subset !== 'string')
            return [];
          const fqdn = resolveHost(destination.host, nsOf(vs));
          const defined = rulesFor(fqdn, nsOf(vs), s.destinationRules).some((dr) =>
            asArray(dr.spec?.subsets).some((sub) => sub?.name === destination.subset),
          );
          if (defined) return [];
          return [
            emit(
              'VirtualService',
              vs,
              `${path}.destination.subset`,
              `No DestinationRule visible from ${nsOf(vs)} defines subset ${destination.subset} for ${fqdn}`,
              `Add subset ${destination.subset} to the DestinationRule of ${fqdn}, or remove the subset from the destination`,
            ),
          ];
        }),
      ),
    ),
);

export const vsWeightsNot100 = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_VS_WEIGHTS_NOT_100',
    severity: 'warning',
    kialiCode: null,
    istioctlCode: null,
    needs: ['virtualServices'],
  },
  (s, emit) =>
    s.virtualServices.flatMap((vs) =>
      routes(vs).flatMap((r) => {
        const weights = r.destinations.map((d) => (typeof d.weight === 'number' ? d.weight : 0));
        const anySet = r.destinations.some((d) => d.weight !== undefined);
        const sum = weights.reduce((a, b) => a + b, 0);
        // One destination without a weight takes all traffic; that is the common, correct case.
        if (
          r.destinations.length === 0 ||
          (r.destinations.length === 1 && (!anySet || sum === 0 || sum === 100)) ||
          sum === 100
        )
          return [];
        return [
          emit(
            'VirtualService',
            vs,
            r.path,
            `Destination weights sum to ${sum}, not 100`,
            'Make the weights of this route add up to 100 so the split is what it says',
          ),
        ];
      }),
    ),
);

/** The namespaces an exportTo list reaches; null means every namespace. */
function exportedTo(exportTo: unknown, ownNamespace: string): Set<string> | null {
  if (!Array.isArray(exportTo) || exportTo.length === 0 || exportTo.includes('*')) return null;
  return new Set(exportTo.map((e) => (e === '.' ? ownNamespace : e)).filter((e) => e !== '~'));
}

function overlap(a: Set<string> | null, b: Set<string> | null): boolean {
  if (a === null) return b === null || b.size > 0;
  if (b === null) return a.size > 0;
  return [...a].some((ns) => b.has(ns));
}

/** The (gateway, host) pairs a VirtualService serves; mesh hosts are resolved in its namespace. */
function servedKeys(vs: Obj): Array<{ key: string; index: number; gateway: string }> {
  return boundGateways(vs).flatMap((ref) => {
    const gateway = ref === 'mesh' ? 'mesh' : `${ref.namespace}/${ref.name}`;
    return asStrings(vs.spec?.hosts).map((h, index) => ({
      key: `${gateway}|${ref === 'mesh' ? resolveHost(h, nsOf(vs)) : h.toLowerCase()}`,
      index,
      gateway,
    }));
  });
}

/**
 * Two VirtualServices for the same host on the same gateway: Istio merges only in narrow cases
 * and otherwise keeps one. Mesh VirtualServices exported to disjoint namespaces never meet, so
 * they are not reported.
 */
export const vsDuplicateHost = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_VS_DUPLICATE_HOST',
    severity: 'warning',
    kialiCode: 'KIA1106',
    istioctlCode: null,
    needs: ['virtualServices'],
  },
  (s, emit) =>
    clashes(
      s.virtualServices,
      servedKeys,
      (vs, o, own) =>
        servedKeys(o).some((k) => k.key === own.key) &&
        overlap(exportedTo(vs.spec?.exportTo, nsOf(vs)), exportedTo(o.spec?.exportTo, nsOf(o))),
      (vs, other, own) =>
        emit(
          'VirtualService',
          vs,
          `spec.hosts[${own.index}]`,
          `VirtualService ${nsOf(other)}/${other.metadata.name} also serves ${own.key.split('|')[1]} on ${own.gateway}`,
          'Merge the routes into one VirtualService per host and gateway, or use delegation',
        ),
    ),
);
