import { defineCheck, MeshFinding } from './check';
import { asArray, asStrings, labelsMatch } from './hosts';
import { MetaOnly, nsOf, Obj } from './snapshot';

const TLS_WITH_CREDENTIAL = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);

function selectorOf(gw: Obj): Record<string, string> {
  return gw.spec?.selector && typeof gw.spec.selector === 'object' ? gw.spec.selector : {};
}

/**
 * Pods a Gateway configures. Istio searches every namespace by default
 * (PILOT_SCOPE_GATEWAY_TO_NAMESPACE=false), so a gateway in `shop` bound to the ingress pods in
 * `istio-system` is correct, a case Kiali used to flag.
 */
export function gatewayPods(gw: Obj, pods: MetaOnly[]): MetaOnly[] {
  const selector = selectorOf(gw);
  if (Object.keys(selector).length === 0) return [];
  return pods.filter((p) => labelsMatch(selector, p.labels));
}

/** A server host without its `namespace/` part (which restricts VirtualServices, not traffic). */
export function bareHost(host: string): string {
  const slash = host.indexOf('/');
  return slash >= 0 ? host.slice(slash + 1) : host;
}

export const gatewaySelectorNoPods = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_GW_SELECTOR_NO_PODS',
    severity: 'warning',
    kialiCode: 'KIA0302',
    istioctlCode: 'IST0101',
    needs: ['gateways', 'pods'],
  },
  (s, emit) =>
    s.gateways
      .filter(
        (gw) => Object.keys(selectorOf(gw)).length > 0 && gatewayPods(gw, s.pods).length === 0,
      )
      .map((gw) =>
        emit(
          'Gateway',
          gw,
          'spec.selector',
          `No pod in any namespace has the labels ${JSON.stringify(selectorOf(gw))}, so this Gateway configures no proxy`,
          "Fix the selector to match the gateway deployment's pod labels (e.g. istio: ingressgateway), or deploy the gateway",
        ),
      ),
);

interface Claim {
  gw: Obj;
  serverIndex: number;
  port: number;
  host: string;
}

function claims(gw: Obj): Claim[] {
  return asArray(gw.spec?.servers).flatMap((server, serverIndex) =>
    asStrings(server?.hosts).map((host) => ({
      gw,
      serverIndex,
      port: Number(server?.port?.number),
      host: bareHost(host).toLowerCase(),
    })),
  );
}

const sameSelector = (a: Obj, b: Obj) =>
  JSON.stringify(Object.entries(selectorOf(a)).sort()) ===
  JSON.stringify(Object.entries(selectorOf(b)).sort());

/**
 * Two different Gateways with the same selector claiming the same host on the same port: the
 * proxy gets two conflicting server blocks and one wins. Hosts are compared exactly (after the
 * namespace part): `*.example.com` next to `a.example.com` is Istio's normal "most specific wins".
 */
export const gatewayDuplicateHostPort = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_GW_DUPLICATE_HOST_PORT',
    severity: 'warning',
    kialiCode: 'KIA0301',
    istioctlCode: 'IST0145',
    needs: ['gateways'],
  },
  (s, emit) => {
    const all = s.gateways.flatMap(claims);
    const found: MeshFinding[] = [];
    for (const c of all) {
      const other = all.find(
        (o) => o.gw !== c.gw && o.port === c.port && o.host === c.host && sameSelector(o.gw, c.gw),
      );
      if (!other) continue;
      const otherName = `${nsOf(other.gw)}/${other.gw.metadata.name}`;
      found.push(
        emit(
          'Gateway',
          c.gw,
          `spec.servers[${c.serverIndex}].hosts`,
          `Gateway ${otherName} also claims host ${c.host} on port ${c.port} for the same workload`,
          `Merge the two servers into one Gateway, or give them different hosts or ports`,
        ),
      );
    }
    return dedupe(found);
  },
);

/** One finding per object and path (several hosts of one server clash the same way). */
function dedupe(findings: MeshFinding[]): MeshFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.object.namespace}/${f.object.name}/${f.fields.path}/${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `kubernetes://name` is the same Secret as `name`; other SDS providers are not Secrets. */
export function credentialSecretName(credentialName: string): string | null {
  if (credentialName.startsWith('kubernetes://'))
    return credentialName.slice('kubernetes://'.length);
  return credentialName.includes('://') ? null : credentialName;
}

/**
 * The gateway proxy reads a server's credentialName Secret from its own namespace (the pods'
 * namespace, not the Gateway object's). Without matching pods the namespace is unknown, so this
 * check says nothing (ISTIO_GW_SELECTOR_NO_PODS already does).
 */
export const gatewaySecretMissing = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_GW_TLS_SECRET_MISSING',
    severity: 'critical',
    kialiCode: null,
    istioctlCode: 'IST0101',
    needs: ['gateways', 'pods', 'secrets'],
  },
  (s, emit) =>
    s.gateways.flatMap((gw) => {
      const namespaces = [...new Set(gatewayPods(gw, s.pods).map((p) => p.namespace))];
      return asArray(gw.spec?.servers).flatMap((server, i) => {
        const secret =
          typeof server?.tls?.credentialName === 'string' &&
          TLS_WITH_CREDENTIAL.has(server.tls.mode)
            ? credentialSecretName(server.tls.credentialName)
            : null;
        if (!secret) return [];
        const missing = namespaces.filter(
          (ns) => !s.secrets.some((x) => x.namespace === ns && x.name === secret),
        );
        return missing.map((ns) =>
          emit(
            'Gateway',
            gw,
            `spec.servers[${i}].tls.credentialName`,
            `Secret ${secret} does not exist in ${ns}, the namespace of the gateway pods this server runs on`,
            `Create the TLS Secret ${secret} in namespace ${ns} (kubectl create secret tls ${secret} -n ${ns} --cert=... --key=...)`,
          ),
        );
      });
    }),
);

/** Istio's naming convention `<protocol>[-<suffix>]`, as for Service ports. */
export function portNameFollowsConvention(name: string, protocol: string): boolean {
  const n = name.toLowerCase();
  const p = protocol.toLowerCase();
  return n === p || n.startsWith(`${p}-`);
}

export const gatewayPortName = defineCheck(
  {
    group: 'networking.istio.io',
    code: 'ISTIO_GW_PORT_NAME_CONVENTION',
    severity: 'info',
    kialiCode: null,
    istioctlCode: null,
    needs: ['gateways'],
  },
  (s, emit) =>
    s.gateways.flatMap((gw) =>
      asArray(gw.spec?.servers).flatMap((server, i) => {
        const { name, protocol } = server?.port ?? {};
        if (
          typeof name !== 'string' ||
          typeof protocol !== 'string' ||
          portNameFollowsConvention(name, protocol)
        )
          return [];
        return [
          emit(
            'Gateway',
            gw,
            `spec.servers[${i}].port.name`,
            `Port name "${name}" does not follow <protocol>[-suffix] for protocol ${protocol}`,
            `Rename the port to "${protocol.toLowerCase()}" or "${protocol.toLowerCase()}-${name}"`,
          ),
        ];
      }),
    ),
);
