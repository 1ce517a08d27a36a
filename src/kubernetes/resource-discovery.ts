import { KubeClient } from './kube-client';

/** One resource (kind) a cluster serves, as discovery describes it. */
export interface ServedResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
}

interface ResourceList {
  groupVersion: string;
  resources: Array<{
    name: string;
    kind: string;
    namespaced: boolean;
    verbs: string[];
    shortNames?: string[];
  }>;
}

interface GroupList {
  groups: Array<{ name: string; preferredVersion: { groupVersion: string; version: string } }>;
}

function toServed(list: ResourceList, group: string, version: string): ServedResource[] {
  return list.resources
    .filter((r) => !r.name.includes('/')) // subresources (pods/log, deployments/scale) are not kinds
    .map((r) => ({
      group,
      version,
      kind: r.kind,
      plural: r.name,
      namespaced: r.namespaced,
      verbs: r.verbs,
      shortNames: r.shortNames ?? [],
    }));
}

/**
 * Every resource the cluster serves at its preferred group version, CRDs included. A group whose
 * discovery fails (an unavailable aggregated API, typically metrics) is skipped, not fatal, as
 * kubectl does.
 */
export async function discoverResources(client: KubeClient): Promise<ServedResource[]> {
  const [core, groups] = await Promise.all([
    client.request<ResourceList>({ path: '/api/v1' }),
    client.request<GroupList>({ path: '/apis' }),
  ]);
  const perGroup = await Promise.all(
    groups.groups.map(async (g) => {
      try {
        const list = await client.request<ResourceList>({
          path: `/apis/${g.preferredVersion.groupVersion}`,
        });
        return toServed(list, g.name, g.preferredVersion.version);
      } catch {
        return [];
      }
    }),
  );
  return [...toServed(core, '', 'v1'), ...perGroup.flat()];
}
