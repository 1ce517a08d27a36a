import { KubeClient } from './kube-client';

/** Verbs each CloudPilot feature needs, asked of the cluster with SelfSubjectAccessReview. */
const FEATURE_CHECKS: Array<{
  feature: string;
  group: string;
  resource: string;
  verb: string;
  subresource?: string;
}> = [
  { feature: 'overview', group: '', resource: 'nodes', verb: 'list' },
  { feature: 'overview', group: '', resource: 'pods', verb: 'watch' },
  { feature: 'overview', group: 'apps', resource: 'deployments', verb: 'watch' },
  { feature: 'overviewSecrets', group: '', resource: 'secrets', verb: 'list' },
  { feature: 'logs', group: '', resource: 'pods', verb: 'get', subresource: 'log' },
  { feature: 'events', group: '', resource: 'events', verb: 'list' },
  {
    feature: 'scale',
    group: 'apps',
    resource: 'deployments',
    verb: 'update',
    subresource: 'scale',
  },
  { feature: 'restart', group: 'apps', resource: 'deployments', verb: 'patch' },
  { feature: 'deletePods', group: '', resource: 'pods', verb: 'delete' },
  { feature: 'evict', group: '', resource: 'pods', verb: 'create', subresource: 'eviction' },
  { feature: 'cordon', group: '', resource: 'nodes', verb: 'patch' },
  { feature: 'istioRead', group: 'networking.istio.io', resource: 'virtualservices', verb: 'list' },
  {
    feature: 'istioWrite',
    group: 'networking.istio.io',
    resource: 'virtualservices',
    verb: 'update',
  },
];

export interface ClusterProbe {
  kubernetesVersion: string;
  platform: string;
  /** feature → allowed (every check of that feature allowed, cluster-wide). */
  permissions: Record<string, boolean>;
}

/** Reachability, version and what CloudPilot may do there; throws AppError when unreachable. */
export async function probeCluster(client: KubeClient): Promise<ClusterProbe> {
  const version = await client.request<{ gitVersion: string; platform: string }>({
    path: '/version',
  });
  const results = await Promise.all(
    FEATURE_CHECKS.map(async (check) => {
      const review = await client.request<{ status: { allowed: boolean } }>({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              group: check.group,
              resource: check.resource,
              verb: check.verb,
              subresource: check.subresource,
            },
          },
        },
      });
      return { feature: check.feature, allowed: review.status.allowed === true };
    }),
  );
  const permissions: Record<string, boolean> = {};
  for (const { feature, allowed } of results)
    permissions[feature] = (permissions[feature] ?? true) && allowed;
  return { kubernetesVersion: version.gitVersion, platform: version.platform, permissions };
}
