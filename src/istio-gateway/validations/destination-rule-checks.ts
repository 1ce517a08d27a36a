import { clashes, defineCheck } from './check';
import { asArray, hostExists, hostFix, labelsMatch, resolveHost, serviceOfFqdn } from './hosts';
import { nsOf, Obj } from './snapshot';

const hostOf = (dr: Obj): string | null =>
  typeof dr.spec?.host === 'string' ? resolveHost(dr.spec.host, nsOf(dr)) : null;

/** Wildcard rules (`*.example.com`, `*.ns.svc.cluster.local`) are policies for whatever matches: never "not found". */
export const drHostNotFound = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_DR_HOST_NOT_FOUND',
    severity: 'warning',
    kialiCode: 'KIA0202',
    istioctlCode: 'IST0101',
    needs: ['destinationRules', 'services', 'serviceEntries'],
  },
  (s, emit) =>
    s.destinationRules.flatMap((dr) => {
      const fqdn = hostOf(dr);
      if (!fqdn || fqdn.includes('*') || hostExists(fqdn, nsOf(dr), s.services, s.serviceEntries))
        return [];
      return [
        emit(
          'DestinationRule',
          dr,
          'spec.host',
          `Host ${dr.spec.host} (${fqdn}) matches no Service or ServiceEntry visible from ${nsOf(dr)}`,
          hostFix(dr.spec.host, nsOf(dr), s.services, s.serviceEntries),
        ),
      ];
    }),
);

/**
 * A subset selects pods of the host's Service that also carry the subset labels. Only Service
 * hosts with a selector are checked: ServiceEntry and selector-less hosts have endpoints this
 * snapshot cannot see, so saying "no pods" there would be a guess.
 */
export const drSubsetNoPods = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_DR_SUBSET_NO_PODS',
    severity: 'warning',
    kialiCode: 'KIA0203',
    istioctlCode: null,
    needs: ['destinationRules', 'services', 'pods'],
  },
  (s, emit) =>
    s.destinationRules.flatMap((dr) => {
      const ref = serviceOfFqdn(hostOf(dr) ?? '');
      const svc =
        ref && s.services.find((x) => x.metadata.name === ref.name && nsOf(x) === ref.namespace);
      const selector: Record<string, string> = svc?.spec?.selector ?? {};
      if (!svc || Object.keys(selector).length === 0) return [];
      const podsOfService = s.pods.filter(
        (p) => p.namespace === nsOf(svc) && labelsMatch(selector, p.labels),
      );
      return asArray(dr.spec?.subsets).flatMap((subset, i) => {
        const labels: Record<string, string> = subset?.labels ?? {};
        if (
          Object.keys(labels).length === 0 ||
          podsOfService.some((p) => labelsMatch(labels, p.labels))
        )
          return [];
        return [
          emit(
            'DestinationRule',
            dr,
            `spec.subsets[${i}].labels`,
            `No pod of Service ${nsOf(svc)}/${svc.metadata.name} has the labels ${JSON.stringify(labels)} of subset ${subset?.name}`,
            'Fix the subset labels to match the pods (e.g. version: v1), or deploy that version',
          ),
        ];
      });
    }),
);

/**
 * Two rules in the same namespace for the same host both defining a subset: Istio keeps one.
 * Rules in different namespaces are not a conflict: a client's own namespace's rule wins by design.
 */
export const drDuplicateSubset = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_DR_DUPLICATE_SUBSET',
    severity: 'warning',
    kialiCode: 'KIA0201',
    istioctlCode: null,
    needs: ['destinationRules'],
  },
  (s, emit) =>
    clashes(
      s.destinationRules,
      (dr) => asArray(dr.spec?.subsets),
      (dr, o, subset) =>
        nsOf(o) === nsOf(dr) &&
        hostOf(o) === hostOf(dr) &&
        asArray(o.spec?.subsets).some((x) => x?.name === subset?.name),
      (dr, other, subset, i) =>
        emit(
          'DestinationRule',
          dr,
          `spec.subsets[${i}].name`,
          `DestinationRule ${nsOf(other)}/${other.metadata.name} also defines subset ${subset?.name} for ${hostOf(dr)}`,
          "Keep each host's subsets in one DestinationRule",
        ),
    ),
);
