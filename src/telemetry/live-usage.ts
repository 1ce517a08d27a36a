import { Injectable } from '@nestjs/common';
import type { CpuMemoryNanos } from '../cluster-state/pod-resources';
import type { ClusterSnapshot, ClusterUsage } from '../monitor/cluster-snapshot';
import type { Sample } from './prometheus-client';
import { TelemetryRunner } from './telemetry-runner';

/** Re-read at most this often; answers in between use the last reading. */
const REFRESH_MS = 15_000;

/**
 * cAdvisor's per-container series as the kubelet serves them, summed per pod (every cAdvisor has
 * namespace and pod; not every scrape config adds a node label, so pods are put on nodes from the
 * live cache). container="" is the pod cgroup and "POD" the pause container: counted once only.
 */
export const USAGE_QUERIES = {
  cpu: 'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",container!="POD"}[2m]))',
  memory:
    'sum by (namespace, pod) (container_memory_working_set_bytes{container!="",container!="POD"})',
};

interface Entry {
  usage: ClusterUsage | undefined;
  at: number;
  pending: boolean;
  /** The refresh in progress, joined by `current`. */
  inflight?: Promise<void>;
}

const NANO = 1e9;

/**
 * Per-pod samples summed per node of the pod (pods the cache does not know count in the total
 * only) and per namespace.
 */
export function usageByNode(
  cpu: readonly Sample[],
  memory: readonly Sample[],
  nodeOf: (namespace: string, pod: string) => string | undefined,
  at: Date,
): ClusterUsage {
  const byNode = new Map<string, CpuMemoryNanos>();
  const byNamespace = new Map<string, CpuMemoryNanos>();
  const total: CpuMemoryNanos = { cpu: 0n, memory: 0n };
  const addTo = (
    map: Map<string, CpuMemoryNanos>,
    key: string,
    field: keyof CpuMemoryNanos,
    nanos: bigint,
  ) => {
    const entry = map.get(key) ?? { cpu: 0n, memory: 0n };
    entry[field] += nanos;
    map.set(key, entry);
  };
  const add = (samples: readonly Sample[], field: keyof CpuMemoryNanos) => {
    for (const s of samples) {
      if (!Number.isFinite(s.value) || s.value < 0) continue;
      const nanos = BigInt(Math.round(s.value * NANO));
      total[field] += nanos;
      const namespace = s.metric.namespace ?? '';
      if (namespace) addTo(byNamespace, namespace, field, nanos);
      const node = nodeOf(namespace, s.metric.pod ?? '');
      if (node) addTo(byNode, node, field, nanos);
    }
  };
  add(cpu, 'cpu');
  add(memory, 'memory');
  return { at: at.toISOString(), total, byNode, byNamespace };
}

/**
 * Live usage from Prometheus for clusters without metrics.k8s.io. Never on an overview's request
 * path: an answer takes the last reading and, when it is old, starts one refresh in the
 * background, so a slow or dead Prometheus never slows an overview down.
 */
@Injectable()
export class LiveUsage {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly runner: TelemetryRunner) {}

  peek(snapshot: ClusterSnapshot): ClusterUsage | undefined {
    const entry = this.entryOf(snapshot.clusterId);
    if (!entry.pending && Date.now() - entry.at > REFRESH_MS) {
      entry.pending = true;
      entry.inflight = this.refresh(snapshot, entry);
    }
    return entry.usage;
  }

  /**
   * The reading of at most REFRESH_MS ago, else a new one awaited (the history tick: it stores what
   * it reads, so it waits, bounded by the telemetry deadline). Undefined without Prometheus.
   */
  async current(snapshot: ClusterSnapshot): Promise<ClusterUsage | undefined> {
    const entry = this.entryOf(snapshot.clusterId);
    if (entry.pending) await entry.inflight;
    else if (Date.now() - entry.at > REFRESH_MS) {
      entry.pending = true;
      await (entry.inflight = this.refresh(snapshot, entry));
    }
    return entry.usage;
  }

  /** Reads usage now (tests and the first overview after start). */
  async refresh(
    snapshot: ClusterSnapshot,
    entry = this.entryOf(snapshot.clusterId),
  ): Promise<void> {
    try {
      const run = await this.runner.run(
        snapshot.clusterId,
        undefined as ClusterUsage | undefined,
        async (q) => {
          const [cpu, memory] = await Promise.all([
            q.instant(USAGE_QUERIES.cpu),
            q.instant(USAGE_QUERIES.memory),
          ]);
          if (!cpu.length && !memory.length) return undefined;
          const nodeOf = (namespace: string, pod: string) =>
            snapshot.get('pods', pod, namespace)?.nodeName || undefined;
          return usageByNode(cpu, memory, nodeOf, new Date());
        },
      );
      // A failed reading keeps no stale numbers: usage is then unknown (null), as without metrics.
      entry.usage = run.data;
    } catch {
      entry.usage = undefined;
    } finally {
      entry.at = Date.now();
      entry.pending = false;
    }
  }

  private entryOf(id: string): Entry {
    let entry = this.entries.get(id);
    if (!entry) this.entries.set(id, (entry = { usage: undefined, at: 0, pending: false }));
    return entry;
  }
}
