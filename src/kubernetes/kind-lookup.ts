import { AppError } from '../common/app-error';
import type { ErrorCode } from '../common/error-codes';
import { Discovery, preferredResources, ServedKind, servedVersionOf } from './discovery';
import { KindDescriptor, kindKey } from './kinds';

/** A manifest's group, kind and (optionally) the version its apiVersion names. */
export interface GroupKind {
  group: string;
  kind: string;
  version?: string;
}

/**
 * How a caller names a kind; the cluster's discovery turns it into the served resource:
 * - a string, as a route or a tool gives it: `plural.group`, the plural, the kind (any case) or a short name;
 * - a manifest's group and kind (at its own version when given);
 * - a descriptor of the kinds table, at the most preferred of its versions the cluster serves;
 * - a served resource already looked up (passes through, e.g. after a verb check).
 */
export type KindRef = string | GroupKind | KindDescriptor | ServedKind;

/** Groups that come with an add-on: a missing one means the add-on is absent, with its own code. */
const ADD_ONS: Record<string, { code: ErrorCode; missing: string }> = {
  'networking.istio.io': { code: 'ISTIO_NOT_INSTALLED', missing: 'Istio is not installed' },
  'gateway.networking.k8s.io': {
    code: 'GATEWAY_API_NOT_INSTALLED',
    missing: 'the Gateway API CRDs are not installed',
  },
};

export function isServedKind(ref: KindRef): ref is ServedKind {
  return typeof ref === 'object' && 'verbs' in ref;
}

function isDescriptor(ref: KindRef): ref is KindDescriptor {
  return typeof ref === 'object' && 'versions' in ref;
}

/** `group/version`, or the version alone for the core group: what an object's apiVersion says. */
export function apiVersionOf(kind: Pick<ServedKind, 'group' | 'version'>): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/**
 * The served resource a route segment means: `plural.group` exactly, else the plural, the kind
 * (any case) or a short name; undefined when none. Several matches are refused with the
 * candidates rather than guessed (Istio and Gateway API both serve "gateways").
 */
export function resolveKind(served: readonly ServedKind[], ref: string): ServedKind | undefined {
  const lower = ref.toLowerCase();
  const exact = served.find((r) => kindKey(r) === lower);
  if (exact) return exact;
  const matches = served.filter(
    (r) => r.plural === lower || r.kind.toLowerCase() === lower || r.shortNames.includes(lower),
  );
  if (matches.length <= 1) return matches[0];
  const candidates = matches.map(kindKey);
  throw new AppError(
    'VALIDATION_FAILED',
    `"${ref}" is ambiguous in this cluster; use one of ${candidates.join(', ')}`,
    [{ field: 'kind', errors: [`ambiguous: ${candidates.join(', ')}`] }],
  );
}

/** The served resource a reference means in this discovery, or undefined when it is not served. */
export function findServed(discovery: Discovery, ref: KindRef): ServedKind | undefined {
  if (isServedKind(ref)) return ref;
  if (isDescriptor(ref)) return servedVersionOf(discovery, ref);
  const preferred = preferredResources(discovery);
  if (typeof ref === 'string') return resolveKind(preferred, ref);
  const match = preferred.find((r) => r.group === ref.group && r.kind === ref.kind);
  return match && ref.version ? { ...match, version: ref.version } : match;
}

/** The error for a reference this cluster does not serve. */
export function notServed(cluster: string, ref: KindRef): AppError {
  if (typeof ref === 'string')
    return new AppError('K8S_NOT_FOUND', `This cluster serves no resource "${ref}"`, { kind: ref });
  if (isDescriptor(ref)) {
    const addOn = ADD_ONS[ref.group];
    if (addOn)
      return new AppError(
        addOn.code,
        `Cluster ${cluster} does not serve ${ref.group}: ${addOn.missing}`,
        { cluster },
      );
    return new AppError('K8S_NOT_FOUND', `Cluster ${cluster} does not serve ${kindKey(ref)}`, {
      cluster,
    });
  }
  const { group, kind } = ref;
  return new AppError(
    'K8S_NOT_FOUND',
    `This cluster serves no ${kind} in group "${group || 'core'}"`,
    { group, kind },
  );
}
