import { runValidations } from './run-validations';
import { MeshSnapshot } from './snapshot';
import { httpRoute, k8sGateway, service, snapshot } from './testing/mesh-builders';

const codes = (s: Partial<MeshSnapshot>) =>
  runValidations(snapshot(s)).findings.map(
    (f) => `${f.code} ${f.object.name} ${f.fields.path} ${f.fields.kialiCode}`,
  );
const gw = (name: string, listeners: object[], addresses?: object[]) =>
  k8sGateway('infra', name, {
    gatewayClassName: 'istio',
    listeners,
    ...(addresses ? { addresses } : {}),
  });
const listener = (name: string, hostname?: string, port = 80) => ({
  name,
  port,
  protocol: 'HTTP',
  ...(hostname ? { hostname } : {}),
});

describe('Gateway API checks', () => {
  const services = [service('shop', 'web')];
  const gateways = [gw('edge', [listener('http', 'shop.example.com')])];

  it('GWAPI_ROUTE_PARENT_NOT_FOUND for a missing parent Gateway; none for a cross-namespace parent that exists or a Service parent', () => {
    expect(
      codes({
        k8sGateways: gateways,
        services,
        httpRoutes: [
          httpRoute('shop', 'r', {
            parentRefs: [{ name: 'edge' }],
            rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
          }),
        ],
      }),
    ).toEqual(['GWAPI_ROUTE_PARENT_NOT_FOUND r spec.parentRefs[0] KIA1401']);
    expect(
      codes({
        k8sGateways: gateways,
        services,
        httpRoutes: [
          httpRoute('shop', 'r', {
            parentRefs: [
              { name: 'edge', namespace: 'infra' },
              { group: '', kind: 'Service', name: 'web' },
            ],
            rules: [{ backendRefs: [{ name: 'web', port: 80 }] }],
          }),
        ],
      }),
    ).toEqual([]);
  });

  it('GWAPI_ROUTE_BACKEND_NOT_FOUND for a missing Service backend; none for other backend kinds', () => {
    const route = httpRoute('shop', 'r', {
      parentRefs: [{ name: 'edge', namespace: 'infra' }],
      rules: [
        {
          backendRefs: [
            { name: 'webb', port: 80 },
            { group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'x' },
          ],
        },
      ],
    });
    expect(codes({ k8sGateways: gateways, services, httpRoutes: [route] })).toEqual([
      'GWAPI_ROUTE_BACKEND_NOT_FOUND r spec.rules[0].backendRefs[0] KIA1402',
    ]);
  });

  it('GWAPI_LISTENER_DUPLICATE_HOST_PORT for two listeners of one Gateway on one hostname and port', () => {
    expect(
      codes({
        k8sGateways: [gw('edge', [listener('a', 'x.example.com'), listener('b', 'x.example.com')])],
      }),
    ).toEqual([
      'GWAPI_LISTENER_DUPLICATE_HOST_PORT edge spec.listeners[0] KIA1503',
      'GWAPI_LISTENER_DUPLICATE_HOST_PORT edge spec.listeners[1] KIA1503',
    ]);
    expect(
      codes({
        k8sGateways: [
          gw('edge', [
            listener('a', 'x.example.com'),
            listener('b', 'y.example.com'),
            listener('c', 'x.example.com', 8080),
          ]),
        ],
      }),
    ).toEqual([]);
  });

  it('GWAPI_GATEWAY_DUPLICATE_HOST_PORT only for Gateways sharing an address', () => {
    const address = [{ type: 'Hostname', value: 'ingress.istio-system.svc.cluster.local' }];
    expect(
      codes({
        k8sGateways: [
          gw('a', [listener('http', 'x.example.com')], address),
          gw('b', [listener('http', 'x.example.com')], address),
        ],
      }),
    ).toEqual([
      'GWAPI_GATEWAY_DUPLICATE_HOST_PORT a spec.listeners[0] KIA1501',
      'GWAPI_GATEWAY_DUPLICATE_HOST_PORT b spec.listeners[0] KIA1501',
    ]);
    expect(
      codes({
        k8sGateways: [
          gw('a', [listener('http', 'x.example.com')]),
          gw('b', [listener('http', 'x.example.com')]),
        ],
      }),
    ).toEqual([]);
  });
});
