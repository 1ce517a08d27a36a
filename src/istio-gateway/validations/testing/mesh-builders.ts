import { MeshSnapshot, MetaOnly, Obj } from '../snapshot';

/** Small builders for validation unit tests: each takes a namespace, a name and a spec. */
const obj = (
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Obj => ({ metadata: { name, namespace, ...metadata }, spec });

/** An Istio or Gateway API object of a namespace, a name and a spec. */
type Builder = (namespace: string, name: string, spec: Record<string, unknown>) => Obj;

export const gateway: Builder = obj;
export const virtualService: Builder = obj;
export const destinationRule: Builder = obj;
export const serviceEntry: Builder = obj;
export const k8sGateway: Builder = obj;
export const httpRoute: Builder = obj;
export const service = (
  namespace: string,
  name: string,
  selector: Record<string, string> = { app: name },
  annotations?: Record<string, string>,
) =>
  obj(
    namespace,
    name,
    { selector, ports: [{ name: 'http', port: 80 }] },
    annotations ? { annotations } : {},
  );
export const pod = (namespace: string, name: string, labels: Record<string, string>): MetaOnly => ({
  namespace,
  name,
  labels,
});
export const secret = (namespace: string, name: string): MetaOnly => ({
  namespace,
  name,
  labels: {},
});

/** A snapshot with every part present and empty, overridden by `parts`. */
export function snapshot(parts: Partial<MeshSnapshot> = {}): MeshSnapshot {
  return {
    gateways: [],
    virtualServices: [],
    destinationRules: [],
    serviceEntries: [],
    services: [],
    pods: [],
    secrets: [],
    k8sGateways: [],
    httpRoutes: [],
    ...parts,
  };
}

/** An ingress gateway deployment's pod in istio-system, the usual target of Gateway selectors. */
export const ingressPod = pod('istio-system', 'istio-ingressgateway-1', {
  istio: 'ingressgateway',
  app: 'istio-ingressgateway',
});

export const httpServer = (hosts: string[], port = 80) => ({
  port: { number: port, name: 'http', protocol: 'HTTP' },
  hosts,
});
