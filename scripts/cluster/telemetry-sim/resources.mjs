// The kubelet's share of the simulation: cAdvisor's container series (/metrics/cadvisor) and the
// volume stats (/metrics), with the label sets the kubelet serves them with.
import { createHash } from 'node:crypto';

/** CFS enforces quotas per 100 ms period: 10 periods a second while a container runs. */
const CFS_PERIODS_PER_SECOND = 10;

function containerId(uid, name) {
  return createHash('sha256').update(`${uid}/${name}`).digest('hex');
}

/** A gauge that moves linearly from `base` at t0, clamped to [min, max]. */
const linear = (base, slope, t0, max = Infinity, min = 0) => ({ base, slope, t0, min, max });

/** cAdvisor's series for one running pod: per container, and the pod cgroup (container=""). */
export function cadvisorSeries({ pod, workload, key }, { since }) {
  const { spec } = workload;
  const out = [];
  const podCgroup = `/kubepods/burstable/pod${pod.uid}`;
  const common = { namespace: pod.namespace, pod: pod.name };
  const grows = `${spec.memory}|${spec.memoryGrowth}`;
  const t0 = Math.max(since(`${workload.key}|memory`, grows), pod.startedAt);
  let totalMemory = 0;
  for (const c of pod.containers) {
    const cid = containerId(pod.uid, c.name);
    const labels = {
      container: c.name,
      id: `${podCgroup}/${cid}`,
      image: c.image,
      name: cid,
      ...common,
    };
    out.push({
      family: 'container_cpu_usage_seconds_total',
      labels: { ...labels, cpu: 'total' },
      owner: key,
      rate: spec.cpu,
    });
    const limit = c.memoryLimit > 0 ? c.memoryLimit : Infinity;
    out.push({
      family: 'container_memory_working_set_bytes',
      labels,
      owner: key,
      gauge: linear(spec.memory, spec.memoryGrowth, t0, limit),
    });
    totalMemory += spec.memory;
    out.push({
      family: 'container_spec_memory_limit_bytes',
      labels,
      owner: key,
      gauge: linear(c.memoryLimit, 0, 0),
    });
    // The kernel keeps CFS statistics only for containers with a CPU quota.
    if (c.cpuLimit > 0 || spec.cpuThrottleRatio > 0) {
      out.push({
        family: 'container_cpu_cfs_periods_total',
        labels,
        owner: key,
        rate: CFS_PERIODS_PER_SECOND,
      });
      out.push({
        family: 'container_cpu_cfs_throttled_periods_total',
        labels,
        owner: key,
        rate: CFS_PERIODS_PER_SECOND * spec.cpuThrottleRatio,
      });
    }
  }
  // The pod's own cgroup sums its containers, as on a real node: queries filter container!="".
  const podLabels = { container: '', id: podCgroup, image: '', name: '', ...common };
  out.push({
    family: 'container_cpu_usage_seconds_total',
    labels: { ...podLabels, cpu: 'total' },
    owner: key,
    rate: spec.cpu * pod.containers.length,
  });
  out.push({
    family: 'container_memory_working_set_bytes',
    labels: podLabels,
    owner: key,
    gauge: linear(totalMemory, spec.memoryGrowth * pod.containers.length, t0),
  });
  return out;
}

/**
 * kubelet_volume_stats_* for every PVC a running pod mounts (once per claim). Used bytes start at
 * `volume-used` when the annotation pair took its value and grow by `volume-fill`, up to capacity.
 */
export function volumeSeries(pods, view, { since }) {
  const out = [];
  const seen = new Set();
  for (const { pod, workload, key } of pods) {
    for (const claim of pod.claims) {
      const pvcKey = `${pod.namespace}/${claim}`;
      const pvc = view.pvcs.get(pvcKey);
      if (!pvc || seen.has(pvcKey)) continue;
      seen.add(pvcKey);
      const { volumeUsed, volumeFill } = workload.spec;
      const t0 = since(`${pvcKey}|volume`, `${volumeUsed}|${volumeFill}`);
      const labels = { namespace: pod.namespace, persistentvolumeclaim: claim };
      const cap = pvc.capacity;
      const used = Math.min(volumeUsed, cap);
      out.push({
        family: 'kubelet_volume_stats_capacity_bytes',
        labels,
        owner: key,
        gauge: linear(cap, 0, t0),
      });
      out.push({
        family: 'kubelet_volume_stats_used_bytes',
        labels,
        owner: key,
        gauge: linear(used, volumeFill, t0, cap),
      });
      out.push({
        family: 'kubelet_volume_stats_available_bytes',
        labels,
        owner: key,
        gauge: linear(cap - used, -volumeFill, t0, cap),
      });
    }
  }
  return out;
}
