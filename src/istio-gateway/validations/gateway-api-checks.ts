import { clashes, defineCheck } from './check';
import { asArray } from './hosts';
import { nsOf, Obj } from './snapshot';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const isCore = (group: unknown) => group === undefined || group === '' || group === 'core';
const exists = (objs: Obj[], namespace: string, name: string) =>
  objs.some((o) => o.metadata.name === name && nsOf(o) === namespace);

/** Gateway parents (the default kind) must exist; a Service parent (GAMMA, mesh routing) must too. */
export const httpRouteParentNotFound = defineCheck(
  {
    group: GATEWAY_GROUP,
    code: 'GWAPI_ROUTE_PARENT_NOT_FOUND',
    severity: 'critical',
    kialiCode: 'KIA1401',
    istioctlCode: null,
    needs: ['httpRoutes', 'k8sGateways', 'services'],
  },
  (s, emit) =>
    s.httpRoutes.flatMap((route) =>
      asArray(route.spec?.parentRefs).flatMap((p, i) => {
        const namespace = p?.namespace ?? nsOf(route);
        const kind = p?.kind ?? 'Gateway';
        const gateway = kind === 'Gateway' && (p?.group ?? GATEWAY_GROUP) === GATEWAY_GROUP;
        const service = kind === 'Service' && isCore(p?.group);
        if (!gateway && !service) return [];
        if (exists(gateway ? s.k8sGateways : s.services, namespace, p?.name)) return [];
        return [
          emit(
            'HTTPRoute',
            route,
            `spec.parentRefs[${i}]`,
            `Parent ${kind} ${namespace}/${p?.name} does not exist`,
            `Reference an existing ${kind} (set parentRefs[].namespace when it lives in another namespace)`,
          ),
        ];
      }),
    ),
);

/** Service backends must exist; other backend kinds (ServiceImport, …) are not judged. */
export const httpRouteBackendNotFound = defineCheck(
  {
    group: GATEWAY_GROUP,
    code: 'GWAPI_ROUTE_BACKEND_NOT_FOUND',
    severity: 'critical',
    kialiCode: 'KIA1402',
    istioctlCode: null,
    needs: ['httpRoutes', 'services'],
  },
  (s, emit) =>
    s.httpRoutes.flatMap((route) =>
      asArray(route.spec?.rules).flatMap((rule, i) =>
        asArray(rule?.backendRefs).flatMap((b, j) => {
          if ((b?.kind ?? 'Service') !== 'Service' || !isCore(b?.group)) return [];
          const namespace = b?.namespace ?? nsOf(route);
          if (exists(s.services, namespace, b?.name)) return [];
          return [
            emit(
              'HTTPRoute',
              route,
              `spec.rules[${i}].backendRefs[${j}]`,
              `Backend Service ${namespace}/${b?.name} does not exist`,
              'Point the backendRef at an existing Service (and port)',
            ),
          ];
        }),
      ),
    ),
);

const listenerKey = (l: any) => `${Number(l?.port)}|${(l?.hostname ?? '*').toLowerCase()}`;

export const listenerDuplicate = defineCheck(
  {
    group: GATEWAY_GROUP,
    code: 'GWAPI_LISTENER_DUPLICATE_HOST_PORT',
    severity: 'warning',
    kialiCode: 'KIA1503',
    istioctlCode: null,
    needs: ['k8sGateways'],
  },
  (s, emit) =>
    s.k8sGateways.flatMap((gw) => {
      const listeners = asArray(gw.spec?.listeners);
      return listeners.flatMap((l, i) => {
        const twin = listeners.findIndex((o, j) => j !== i && listenerKey(o) === listenerKey(l));
        if (twin < 0) return [];
        return [
          emit(
            'Gateway',
            gw,
            `spec.listeners[${i}]`,
            `Listener ${l?.name} and listener ${listeners[twin]?.name} both take hostname ${l?.hostname ?? '(any)'} on port ${l?.port}`,
            'Give each listener a distinct hostname or port',
          ),
        ];
      });
    }),
);

const addresses = (gw: Obj) => new Set(asArray(gw.spec?.addresses).map((a) => String(a?.value)));

/**
 * Across Gateways, a host:port is a conflict only when they share an address (the same proxy):
 * Istio gives every other Gateway its own deployment and Service, so Kiali's wider rule is a
 * false positive there.
 */
export const gatewayApiDuplicate = defineCheck(
  {
    group: GATEWAY_GROUP,
    code: 'GWAPI_GATEWAY_DUPLICATE_HOST_PORT',
    severity: 'warning',
    kialiCode: 'KIA1501',
    istioctlCode: null,
    needs: ['k8sGateways'],
  },
  (s, emit) =>
    clashes(
      s.k8sGateways,
      (gw) => asArray(gw.spec?.listeners),
      (gw, o, l) =>
        [...addresses(o)].some((a) => addresses(gw).has(a)) &&
        asArray(o.spec?.listeners).some((x) => listenerKey(x) === listenerKey(l)),
      (gw, other, l, i) =>
        emit(
          'Gateway',
          gw,
          `spec.listeners[${i}]`,
          `Gateway ${nsOf(other)}/${other.metadata.name} shares an address and also listens for ${l?.hostname ?? '(any)'} on port ${l?.port}`,
          'Merge the listeners into one Gateway, or use distinct hostnames, ports or addresses',
        ),
    ),
);
