import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * What the overview routes should answer, computed independently of src/monitor and src/overview
 * from `kubectl get -o json` with the admin kubeconfig: its own quantity parsing, resource rule
 * and phase counting, so a shared bug cannot make both sides agree.
 */

const run = promisify(execFile);
type Obj = Record<string, any>;

export interface ClusterSnapshot {
  nodes: Obj[];
  namespaces: Obj[];
  pods: Obj[];
  deployments: Obj[];
  statefulsets: Obj[];
  daemonsets: Obj[];
  services: Obj[];
  configmaps: Obj[];
  secrets: Obj[];
}

const KINDS = [
  'nodes',
  'namespaces',
  'pods',
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'services',
  'configmaps',
  'secrets',
];

/**
 * Every monitored kind, read with the admin kubeconfig in one kubectl call (one consistent-ish
 * read). Unpaged (--chunk-size=0): the test cluster compacts etcd every 20 s and serves ConfigMaps
 * from etcd, so a continue token of kubectl's default 500-item pages can expire between two pages
 * (410 Expired, seen once in a full CI run, where the other suites leave many ConfigMaps).
 */
export async function snapshot(kubeconfig: string): Promise<ClusterSnapshot> {
  const { stdout } = await run(
    process.env.CLOUDPILOT_TEST_KUBECTL!,
    ['--kubeconfig', kubeconfig, 'get', KINDS.join(','), '-A', '--chunk-size=0', '-o', 'json'],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  const items: Obj[] = JSON.parse(stdout).items;
  const of = (kind: string, group = '') =>
    items.filter(
      (i) =>
        i.kind === kind && (i.apiVersion.includes('/') ? i.apiVersion.split('/')[0] : '') === group,
    );
  return {
    nodes: of('Node'),
    namespaces: of('Namespace'),
    pods: of('Pod'),
    deployments: of('Deployment', 'apps'),
    statefulsets: of('StatefulSet', 'apps'),
    daemonsets: of('DaemonSet', 'apps'),
    services: of('Service'),
    configmaps: of('ConfigMap'),
    secrets: of('Secret'),
  };
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Enough of the quantity grammar for what the fixtures and KWOK nodes use. */
export function quantity(text: string | undefined): number {
  if (text === undefined) return 0;
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text);
  if (!match) throw new Error(`test quantity parser does not know ${text}`);
  return Number(match[1]) * SUFFIX[match[2] ?? ''];
}

function containerSum(containers: Obj[] | undefined, field: string, resource: string): number {
  return (containers ?? []).reduce((sum, c) => sum + quantity(c.resources?.[field]?.[resource]), 0);
}

/** The scheduler's rule, written out plainly: max(apps + sidecars, each init + sidecars before it) + overhead. */
export function podResource(
  pod: Obj,
  field: 'requests' | 'limits',
  resource: 'cpu' | 'memory',
): number {
  const inits: Obj[] = pod.spec?.initContainers ?? [];
  let sidecars = 0;
  let peak = 0;
  for (const init of inits) {
    const own = quantity(init.resources?.[field]?.[resource]);
    if (init.restartPolicy === 'Always') sidecars += own;
    else peak = Math.max(peak, own + sidecars);
  }
  const total = Math.max(containerSum(pod.spec?.containers, field, resource) + sidecars, peak);
  const overhead = quantity(pod.spec?.overhead?.[resource]);
  return field === 'requests' ? total + overhead : total > 0 ? total + overhead : 0;
}

const terminated = (pod: Obj) =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isReady = (o: Obj) =>
  (o.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

export function phases(pods: Obj[]) {
  const count = (phase: string) =>
    pods.filter((p) => (p.status?.phase ?? 'Unknown') === phase).length;
  return {
    total: pods.length,
    running: count('Running'),
    pending: count('Pending'),
    failed: count('Failed'),
    succeeded: count('Succeeded'),
    unknown:
      pods.length - count('Running') - count('Pending') - count('Failed') - count('Succeeded'),
    notReadyRunning: pods.filter((p) => p.status?.phase === 'Running' && !isReady(p)).length,
  };
}

function sum(pods: Obj[], field: 'requests' | 'limits', resource: 'cpu' | 'memory'): number {
  return pods
    .filter((p) => !terminated(p))
    .reduce((total, p) => total + podResource(p, field, resource), 0);
}

export function expectedOverview(s: ClusterSnapshot) {
  const nodeTotal = (field: 'allocatable' | 'capacity', resource: string) =>
    s.nodes.reduce((t, n) => t + quantity(n.status?.[field]?.[resource]), 0);
  const resources = (resource: 'cpu' | 'memory') => ({
    requests: sum(s.pods, 'requests', resource),
    limits: sum(s.pods, 'limits', resource),
    allocatable: nodeTotal('allocatable', resource),
    capacity: nodeTotal('capacity', resource),
  });
  return {
    nodes: {
      total: s.nodes.length,
      ready: s.nodes.filter(isReady).length,
      notReady: s.nodes.filter((n) => !isReady(n)).length,
      unschedulable: s.nodes.filter((n) => n.spec?.unschedulable === true).length,
    },
    counts: {
      namespaces: s.namespaces.length,
      deployments: s.deployments.length,
      statefulsets: s.statefulsets.length,
      daemonsets: s.daemonsets.length,
      services: s.services.length,
      configmaps: s.configmaps.length,
      secrets: s.secrets.length,
    },
    pods: phases(s.pods),
    cpu: resources('cpu'),
    memory: resources('memory'),
  };
}

export function expectedNamespace(s: ClusterSnapshot, name: string) {
  const pods = s.pods.filter((p) => p.metadata.namespace === name);
  const inNs = (list: Obj[]) => list.filter((o) => o.metadata.namespace === name).length;
  return {
    name,
    status: s.namespaces.find((n) => n.metadata.name === name)?.status?.phase,
    pods: phases(pods),
    deployments: inNs(s.deployments),
    statefulsets: inNs(s.statefulsets),
    daemonsets: inNs(s.daemonsets),
    services: inNs(s.services),
    requests: { cpu: sum(pods, 'requests', 'cpu'), memory: sum(pods, 'requests', 'memory') },
    limits: { cpu: sum(pods, 'limits', 'cpu'), memory: sum(pods, 'limits', 'memory') },
  };
}

export function expectedNode(s: ClusterSnapshot, name: string) {
  const node = s.nodes.find((n) => n.metadata.name === name)!;
  const pods = s.pods.filter((p) => p.spec?.nodeName === name && !terminated(p));
  const ready = (node.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
  return {
    name,
    status: ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown',
    unschedulable: node.spec?.unschedulable === true,
    pods: pods.length,
    allocatable: {
      cpu: quantity(node.status?.allocatable?.cpu),
      memory: quantity(node.status?.allocatable?.memory),
      pods: Number(node.status?.allocatable?.pods ?? 0),
    },
    capacity: {
      cpu: quantity(node.status?.capacity?.cpu),
      memory: quantity(node.status?.capacity?.memory),
      pods: Number(node.status?.capacity?.pods ?? 0),
    },
    requests: { cpu: sum(pods, 'requests', 'cpu'), memory: sum(pods, 'requests', 'memory') },
    limits: { cpu: sum(pods, 'limits', 'cpu'), memory: sum(pods, 'limits', 'memory') },
    taints: (node.spec?.taints ?? []).map((t: Obj) => t.key).sort(),
  };
}

/**
 * A canonical form for comparing as text: float sums added in a different order differ in the last
 * bits, so numbers are rounded; keys are sorted, so field order does not matter.
 */
export function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v) => {
      if (typeof v === 'number' && !Number.isInteger(v)) return Math.round(v * 1e6) / 1e6;
      if (v && typeof v === 'object' && !Array.isArray(v))
        return Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        );
      return v;
    }),
  );
}

/**
 * Compares under concurrent churn (other suites share the cluster): the overview must equal a
 * kubectl snapshot taken just before it that an identical snapshot just after it confirms.
 * Resolves with the time of the read that matched.
 */
export async function expectExact<T>(
  what: string,
  kubeconfig: () => string,
  read: () => Promise<T>,
  expected: (s: ClusterSnapshot) => unknown,
  project: (actual: T) => unknown = (a) => a,
): Promise<number> {
  const deadline = Date.now() + 60_000;
  let last: { actual: unknown; wanted: unknown } | undefined;
  let churn = '';
  for (;;) {
    const before = await snapshot(kubeconfig());
    await new Promise((r) => setTimeout(r, 300)); // the watch's delivery time
    const readAt = Date.now();
    const actual = rounded(project(await read()));
    const after = await snapshot(kubeconfig());
    const wanted = rounded(expected(before));
    const confirmed = rounded(expected(after));
    if (JSON.stringify(wanted) === JSON.stringify(confirmed)) {
      if (JSON.stringify(actual) === JSON.stringify(wanted)) return readAt;
      last = { actual, wanted };
    } else {
      churn = firstDifference(wanted, confirmed);
    }
    if (Date.now() > deadline) {
      expect({ what, ...last }).toEqual({ what, actual: last?.wanted, wanted: last?.wanted });
      throw new Error(
        `${what}: the cluster never held still long enough to compare (last change: ${churn})`,
      );
    }
  }
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as any)[key], (b as any)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path}: ${JSON.stringify(a)} then ${JSON.stringify(b)}`;
}

/** The numbers of a ResourceOverview the kubectl side can compute (usage needs metrics-server). */
export const overviewNumbers = (o: Record<string, any>) => ({
  nodes: o.nodes,
  counts: o.counts,
  pods: o.pods,
  cpu: { ...o.cpu, usage: undefined },
  memory: { ...o.memory, usage: undefined },
});
