import type { K8sObject } from './object-views';

/** Compact rows for the kinds people scan most, like `kubectl get` columns. */
export type Summary = Record<string, unknown>;

const base = (o: K8sObject) => ({
  name: o.metadata?.name,
  namespace: o.metadata?.namespace,
  created: o.metadata?.creationTimestamp,
});

function podSummary(pod: K8sObject): Summary {
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  const waiting = statuses
    .map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason)
    .find(Boolean);
  return {
    ...base(pod),
    phase: pod.status?.phase,
    status: pod.metadata?.deletionTimestamp
      ? 'Terminating'
      : (waiting ?? pod.status?.reason ?? pod.status?.phase),
    ready: `${statuses.filter((s) => s.ready).length}/${(pod.spec?.containers ?? []).length}`,
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    node: pod.spec?.nodeName ?? null,
    images: (pod.spec?.containers ?? []).map((c: any) => c.image),
  };
}

function deploymentSummary(d: K8sObject): Summary {
  return {
    ...base(d),
    replicas: d.spec?.replicas ?? 1,
    ready: d.status?.readyReplicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    images: (d.spec?.template?.spec?.containers ?? []).map((c: any) => c.image),
  };
}

function nodeSummary(n: K8sObject): Summary {
  const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.split('/')[1]);
  return {
    ...base(n),
    status: ready?.status === 'True' ? 'Ready' : 'NotReady',
    unschedulable: n.spec?.unschedulable === true,
    roles,
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion,
  };
}

/** Keyed by `plural.group`, so a CRD that happens to be called Pod is not summarised as one. */
const SUMMARIES: Record<string, (o: K8sObject) => Summary> = {
  pods: podSummary,
  'deployments.apps': deploymentSummary,
  nodes: nodeSummary,
};

export function hasSummary(key: string): boolean {
  return key in SUMMARIES;
}

export function summarize(key: string, obj: K8sObject): Summary {
  return SUMMARIES[key](obj);
}
