import { nanosToNumber, quantityNanosOrZero } from './quantity';

/** The parts of a container spec the resource calculation reads. */
export interface ContainerResourcesSpec {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** Only meaningful on init containers: `Always` makes it a restartable (sidecar) container. */
  restartPolicy?: string;
}

/** The parts of a pod spec the resource calculation reads. */
export interface PodResourcesSpec {
  containers?: ContainerResourcesSpec[];
  initContainers?: ContainerResourcesSpec[];
  overhead?: Record<string, string>;
}

/** CPU in cores, memory in bytes. */
export interface CpuMemory {
  cpu: number;
  memory: number;
}

/** What a pod reserves on its node, as the scheduler counts it. */
export interface PodEffectiveResources {
  requests: CpuMemory;
  limits: CpuMemory;
}

/** The same in nano units, for exact sums (see parseQuantityNanos). */
export interface CpuMemoryNanos {
  cpu: bigint;
  memory: bigint;
}

type Field = 'requests' | 'limits';

const zero = (): CpuMemoryNanos => ({ cpu: 0n, memory: 0n });

function nanos(list: Record<string, string> | undefined): CpuMemoryNanos {
  return { cpu: quantityNanosOrZero(list?.cpu), memory: quantityNanosOrZero(list?.memory) };
}

const add = (a: CpuMemoryNanos, b: CpuMemoryNanos): CpuMemoryNanos => ({
  cpu: a.cpu + b.cpu,
  memory: a.memory + b.memory,
});
const larger = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const max = (a: CpuMemoryNanos, b: CpuMemoryNanos): CpuMemoryNanos => ({
  cpu: larger(a.cpu, b.cpu),
  memory: larger(a.memory, b.memory),
});
const toNumbers = (v: CpuMemoryNanos): CpuMemory => ({
  cpu: nanosToNumber(v.cpu),
  memory: nanosToNumber(v.memory),
});

/**
 * One field (requests or limits) without overhead. Init containers run in order: a regular one
 * runs alongside every sidecar started before it, and sidecars keep running next to the app
 * containers, so the pod needs the larger of the two phases, per resource.
 */
function containersTotal(spec: PodResourcesSpec, field: Field): CpuMemoryNanos {
  let sidecars = zero();
  let initPeak = zero();
  for (const init of spec.initContainers ?? []) {
    const own = nanos(init.resources?.[field]);
    if (init.restartPolicy === 'Always') sidecars = add(sidecars, own);
    else initPeak = max(initPeak, add(own, sidecars));
  }
  const running = (spec.containers ?? []).reduce(
    (sum, c) => add(sum, nanos(c.resources?.[field])),
    sidecars,
  );
  return max(running, initPeak);
}

/**
 * A pod's effective CPU and memory requests and limits, following the scheduler:
 * `max(sum(app containers) + sum(sidecars), max over regular init containers of (its own + sidecars
 * declared before it)) + pod overhead`, per resource.
 *
 * Limits use the same rule as requests, as Kubernetes' own `PodLimits` helper does (what
 * `kubectl describe node` sums): an absent limit counts as zero, and the pod overhead is added to a
 * resource's limit only when the containers set a non-zero limit for it — a pod without a memory limit stays
 * "no limit" rather than becoming a tiny limit the size of the overhead.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/753-sidecar-containers#resources-calculation-for-scheduling-and-pod-admission
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/688-pod-overhead
 *
 * Throws the parse Error of the first malformed quantity.
 */
export function podEffectiveRequests(spec: PodResourcesSpec): PodEffectiveResources {
  const { requests, limits } = podEffectiveNanos(spec);
  return { requests: toNumbers(requests), limits: toNumbers(limits) };
}

/** {@link podEffectiveRequests} in nano units, for aggregates that add and subtract pods exactly. */
export function podEffectiveNanos(spec: PodResourcesSpec): {
  requests: CpuMemoryNanos;
  limits: CpuMemoryNanos;
} {
  const overhead = nanos(spec.overhead);
  const limits = containersTotal(spec, 'limits');
  return {
    requests: add(containersTotal(spec, 'requests'), overhead),
    limits: {
      cpu: limits.cpu > 0n ? limits.cpu + overhead.cpu : 0n,
      memory: limits.memory > 0n ? limits.memory + overhead.memory : 0n,
    },
  };
}
