import { KindDescriptor, KINDS, kindKey } from './kinds';
import { KubeClient } from './kube-client';

interface GroupList {
  groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }> }>;
}

export interface ServedKind {
  key: string;
  kind: string;
  group: string;
  /** The version CloudPilot will use: its most preferred version that the cluster serves. */
  version: string;
  namespaced: boolean;
  scope: KindDescriptor['scope'];
}

/** Which of the known kinds this cluster serves, and at which version (one /api + /apis round trip). */
export async function discoverServedKinds(client: KubeClient): Promise<ServedKind[]> {
  const [core, groups] = await Promise.all([
    client.request<{ versions: string[] }>({ path: '/api' }),
    client.request<GroupList>({ path: '/apis' }),
  ]);
  const served = new Map<string, Set<string>>([['', new Set(core.versions)]]);
  for (const group of groups.groups)
    served.set(group.name, new Set(group.versions.map((v) => v.version)));
  return KINDS.flatMap((kind) => {
    const version = kind.versions.find((v) => served.get(kind.group)?.has(v));
    return version
      ? [
          {
            key: kindKey(kind),
            kind: kind.kind,
            group: kind.group,
            version,
            namespaced: kind.namespaced,
            scope: kind.scope,
          },
        ]
      : [];
  });
}
