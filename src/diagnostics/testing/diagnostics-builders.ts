import { slimWarningEvent } from '../../cluster-state/records/event';
import { slimNode } from '../../cluster-state/records/node';
import { slimPod } from '../../cluster-state/records/pod';
import type { CachedKindName, CachedRecords, NodeAllocation } from '../../monitor/cluster-snapshot';
import type { DetectorInput } from '../detectors/detector';
import { endpointCountIndex, readyEndpointIndex } from '../snapshot-input';

/** Small builders of raw API objects and of a detector input, for the detectors' unit tests. */

export const NOW = Date.parse('2026-06-01T12:00:00Z');
export const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();

type Records = { [K in CachedKindName]?: CachedRecords[K][] };

const keyOf = (r: any): string => {
  const name = r.name ?? r.metadata?.name;
  const namespace = r.namespace ?? r.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
};

/** A detector input over plain records; kinds not given are "not cached" unless listed in `cached`. */
export function inputOf(
  records: Records,
  options: { cached?: CachedKindName[]; allocation?: Record<string, NodeAllocation> } = {},
): DetectorInput {
  const cached = new Set<string>([...Object.keys(records), ...(options.cached ?? [])]);
  const list = <K extends CachedKindName>(kind: K) => (records[kind] ?? []) as CachedRecords[K][];
  return {
    now: NOW,
    list,
    get: (kind, name, namespace) =>
      list(kind).find((r) => keyOf(r) === (namespace ? `${namespace}/${name}` : name)),
    caches: (kind) => cached.has(kind),
    podsIn: (namespace) => list('pods').filter((p) => p.namespace === namespace),
    namespacesWithPodLabel: (key, value) =>
      new Set(
        list('pods')
          .filter((p) => p.labels[key] === value)
          .map((p) => p.namespace),
      ),
    readyEndpoints: (namespace, service) =>
      readyEndpointIndex(list('endpointslices')).get(namespace)?.get(service) ?? 0,
    endpointCount: (namespace, service) =>
      endpointCountIndex(list('endpointslices')).get(namespace)?.get(service),
    allocation: (node) => options.allocation?.[node],
  };
}

export interface PodOptions {
  namespace?: string;
  phase?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  owner?: { kind: string; name: string };
  containerStatuses?: Record<string, any>[];
  initContainerStatuses?: Record<string, any>[];
  initContainers?: Record<string, any>[];
  conditions?: Record<string, any>[];
  spec?: Record<string, any>;
  status?: Record<string, any>;
  created?: string;
}

/**
 * A container with a pinned image, a readiness probe and a memory limit: a pod of these raises no
 * hygiene finding, so a test sees only the state it builds.
 */
export function hygienic(name: string, resources: Record<string, any> = {}) {
  return {
    name,
    image: `registry.example/${name}:1.0`,
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    resources: { ...resources, limits: { memory: '64Mi', ...resources.limits } },
  };
}

/** A pod as the API would send it, slimmed as the Monitor does. */
export function pod(name: string, o: PodOptions = {}) {
  const ready = o.ready ?? true;
  return slimPod({
    metadata: {
      name,
      namespace: o.namespace ?? 'shop',
      labels: o.labels ?? { app: name },
      creationTimestamp: o.created ?? ago(3600),
      ...(o.owner ? { ownerReferences: [{ ...o.owner, controller: true }] } : {}),
    },
    spec: {
      nodeName: 'n1',
      // An owned pod's template is judged on its owner: only a bare pod needs to be hygienic.
      containers: [
        o.owner
          ? { name: 'app', resources: { requests: { cpu: '100m' } } }
          : hygienic('app', { requests: { cpu: '100m' } }),
      ],
      automountServiceAccountToken: false,
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...o.spec,
    },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.conditions ?? [
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(3600) },
      ],
      containerStatuses: o.containerStatuses ?? [
        { name: 'app', ready, restartCount: 0, state: { running: {} } },
      ],
      ...(o.initContainerStatuses ? { initContainerStatuses: o.initContainerStatuses } : {}),
      ...o.status,
    },
  });
}

export const waiting = (reason: string, restarts = 0, extra: Record<string, any> = {}) => ({
  name: 'app',
  ready: false,
  restartCount: restarts,
  state: { waiting: { reason, message: `${reason} message` } },
  ...extra,
});

export function node(
  name: string,
  conditions: Record<string, any>[],
  extra: Record<string, any> = {},
) {
  return slimNode({
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: extra.spec ?? {},
    status: {
      conditions,
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    },
  });
}

export function warning(
  kind: string,
  name: string,
  namespace: string,
  reason: string,
  last = ago(60),
) {
  return slimWarningEvent({
    metadata: { name: `${name}.${reason}`, namespace },
    involvedObject: { kind, name, namespace },
    reason,
    message: `${reason} happened`,
    count: 3,
    lastTimestamp: last,
    type: 'Warning',
  });
}
