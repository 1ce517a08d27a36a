import { AppError } from '../common/app-error';
import type { KindDescriptor } from './kinds';
import { KubeClient } from './kube-client';

/** One resource (kind) a cluster serves at one version, as discovery describes it. */
export interface ServedKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
}

/** A group version whose discovery failed (typically an aggregated API such as metrics being down). */
export interface FailedGroup {
  groupVersion: string;
  code: string;
  message: string;
}

/** What a cluster serves: every resource at every served version, preferred version first. */
export interface Discovery {
  /** Every served resource at every version; within a group, versions in the server's preference order. */
  resources: ServedKind[];
  /** Groups that could not be read: reported, never silently dropped. */
  failed: FailedGroup[];
  /** `aggregated` (one request, apidiscovery.k8s.io/v2) or `legacy` (/api, /apis and one request per group version). */
  source: 'aggregated' | 'legacy';
  fetchedAt: number;
}

/** Distinct served kinds kept for sharing; past this, new ones are kept by their cluster alone. */
const MAX_SHARED_KINDS = 20_000;
const sharedKinds = new Map<string, ServedKind>();

/**
 * One frozen instance per distinct served kind, shared by every cluster's discovery: clusters of
 * one Kubernetes version (and the same CRDs) serve the same hundred-odd resources, and a replica
 * watching 200 of them kept 200 copies, about 30 KiB each (docs/scaling.md). Frozen, so no reader
 * can change another cluster's entry.
 */
export function sharedKind(kind: ServedKind): ServedKind {
  const { group, version, plural, namespaced, verbs, shortNames } = kind;
  const key = [group, version, kind.kind, plural, namespaced, verbs, shortNames].join('|');
  const known = sharedKinds.get(key);
  if (known) return known;
  const frozen = Object.freeze({
    ...kind,
    verbs: Object.freeze([...verbs]) as string[],
    shortNames: Object.freeze([...shortNames]) as string[],
  });
  if (sharedKinds.size < MAX_SHARED_KINDS) sharedKinds.set(key, frozen);
  return frozen;
}

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface AggregatedList {
  kind?: string;
  items?: Array<{
    metadata?: { name?: string };
    versions?: Array<{
      version: string;
      freshness?: string;
      resources?: Array<{
        resource: string;
        responseKind?: { kind?: string };
        scope?: string;
        verbs?: string[];
        shortNames?: string[];
      }>;
    }>;
  }>;
}

/** Parses one APIGroupDiscoveryList (of /api or /apis); null when the server did not answer in that format. */
export function parseAggregated(list: AggregatedList, failed: FailedGroup[]): ServedKind[] | null {
  if (list?.kind !== 'APIGroupDiscoveryList') return null;
  const served: ServedKind[] = [];
  for (const group of list.items ?? []) {
    const name = group.metadata?.name ?? '';
    for (const v of group.versions ?? []) {
      const groupVersion = name ? `${name}/${v.version}` : v.version;
      if (v.freshness === 'Stale') {
        failed.push({ groupVersion, code: 'STALE', message: 'the aggregated API did not answer' });
        continue;
      }
      for (const r of v.resources ?? []) {
        served.push(
          sharedKind({
            group: name,
            version: v.version,
            kind: r.responseKind?.kind ?? '',
            plural: r.resource,
            namespaced: r.scope === 'Namespaced',
            verbs: r.verbs ?? [],
            shortNames: r.shortNames ?? [],
          }),
        );
      }
    }
  }
  return served;
}

interface ResourceList {
  resources: Array<{
    name: string;
    kind: string;
    namespaced: boolean;
    verbs: string[];
    shortNames?: string[];
  }>;
}

interface GroupList {
  groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }> }>;
}

function fromResourceList(list: ResourceList, group: string, version: string): ServedKind[] {
  return list.resources
    .filter((r) => !r.name.includes('/')) // subresources (pods/log, deployments/scale) are not kinds
    .map((r) =>
      sharedKind({
        group,
        version,
        kind: r.kind,
        plural: r.name,
        namespaced: r.namespaced,
        verbs: r.verbs,
        shortNames: r.shortNames ?? [],
      }),
    );
}

/** The pre-1.30 way: /api, /apis, then one request per group version; a failing one is reported. */
async function legacyDiscovery(client: KubeClient, failed: FailedGroup[]): Promise<ServedKind[]> {
  const [core, groups] = await Promise.all([
    client.request<ResourceList>({ path: '/api/v1' }),
    client.request<GroupList>({ path: '/apis' }),
  ]);
  const versions = groups.groups.flatMap((g) => g.versions.map((v) => ({ group: g.name, ...v })));
  const lists = await Promise.all(
    versions.map(async ({ group, groupVersion, version }) => {
      try {
        const list = await client.request<ResourceList>({ path: `/apis/${groupVersion}` });
        return fromResourceList(list, group, version);
      } catch (error) {
        const e = error instanceof AppError ? error : undefined;
        failed.push({ groupVersion, code: e?.code ?? 'CLUSTER_ERROR', message: e?.message ?? '' });
        return [];
      }
    }),
  );
  return [...fromResourceList(core, '', 'v1'), ...lists.flat()];
}

/**
 * Reads what a cluster serves: aggregated discovery (one request each for /api and /apis,
 * Kubernetes ≥ 1.30) where served, else the legacy walk. Either way a group that fails is listed
 * in `failed`, so callers can say "metrics.k8s.io is down" instead of "no such kind".
 * https://kubernetes.io/docs/concepts/overview/kubernetes-api/#aggregated-discovery
 */
export async function discover(client: KubeClient): Promise<Discovery> {
  const failed: FailedGroup[] = [];
  const [core, groups] = await Promise.all([
    client.request<AggregatedList>({ path: '/api', accept: AGGREGATED_ACCEPT }),
    client.request<AggregatedList>({ path: '/apis', accept: AGGREGATED_ACCEPT }),
  ]);
  const coreKinds = parseAggregated(core, failed);
  const groupKinds = parseAggregated(groups, failed);
  if (coreKinds && groupKinds) {
    return {
      resources: [...coreKinds, ...groupKinds],
      failed,
      source: 'aggregated',
      fetchedAt: Date.now(),
    };
  }
  const resources = await legacyDiscovery(client, failed);
  return { resources, failed, source: 'legacy', fetchedAt: Date.now() };
}

/** The resources a generic browser shows: each at its group's preferred (first) version. */
export function preferredResources(discovery: Discovery): ServedKind[] {
  const preferred = new Map<string, string>();
  for (const r of discovery.resources)
    if (!preferred.has(r.group)) preferred.set(r.group, r.version);
  return discovery.resources.filter((r) => preferred.get(r.group) === r.version);
}

/** A registry kind at the most preferred of its known versions that this cluster serves, or undefined. */
export function servedVersionOf(
  discovery: Discovery,
  descriptor: KindDescriptor,
): ServedKind | undefined {
  for (const version of descriptor.versions) {
    const match = discovery.resources.find(
      (r) =>
        r.group === descriptor.group && r.version === version && r.plural === descriptor.plural,
    );
    if (match) return match;
  }
  return undefined;
}
