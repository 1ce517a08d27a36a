// The series the simulator serves, kept between model updates so that counters stay monotonic:
// each counter integrates its rate lazily (value = folded + rate × elapsed), folding in only when
// its rate changes, so a scrape costs one multiplication per series whatever the number of edges.
import { ISTIO_BUCKETS } from './histogram.mjs';

const HELP = {
  container_cpu_usage_seconds_total: ['counter', 'Cumulative cpu time consumed in seconds.'],
  container_memory_working_set_bytes: ['gauge', 'Current working set in bytes.'],
  container_spec_memory_limit_bytes: ['gauge', 'Memory limit for the container.'],
  container_cpu_cfs_periods_total: ['counter', 'Number of elapsed enforcement period intervals.'],
  container_cpu_cfs_throttled_periods_total: ['counter', 'Number of throttled period intervals.'],
  kubelet_volume_stats_capacity_bytes: ['gauge', 'Capacity in bytes of the volume'],
  kubelet_volume_stats_used_bytes: ['gauge', 'Number of used bytes in the volume'],
  kubelet_volume_stats_available_bytes: ['gauge', 'Number of available bytes in the volume'],
  istio_requests_total: ['counter', 'Requests handled by an Istio proxy.'],
  istio_request_duration_milliseconds: ['histogram', 'Duration of requests in milliseconds.'],
  istio_tcp_sent_bytes_total: ['counter', 'Bytes sent during response of TCP connections.'],
  istio_tcp_received_bytes_total: ['counter', 'Bytes received during request of TCP connections.'],
  istio_tcp_connections_opened_total: ['counter', 'TCP connections opened.'],
  istio_tcp_connections_closed_total: ['counter', 'TCP connections closed.'],
};

const escape = (v) => String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** `k="v",…` without empty values: Prometheus treats an empty label as an absent one. */
export function labelText(labels) {
  let text = '';
  for (const [k, v] of Object.entries(labels)) {
    if (v === '' || v === undefined) continue;
    text += `${text ? ',' : ''}${k}="${escape(v)}"`;
  }
  return text;
}

const LE = ISTIO_BUCKETS.map((b) => `,le="${b}"`);

function gaugeValue({ base, slope, t0, min, max }, now) {
  return Math.min(max, Math.max(min, base + slope * Math.max(0, now - t0)));
}

export class SeriesStore {
  constructor() {
    /** family → Map(labelText → state) */
    this.families = new Map(Object.keys(HELP).map((f) => [f, new Map()]));
  }

  get size() {
    let n = 0;
    for (const series of this.families.values()) n += series.size;
    return n;
  }

  /**
   * Makes the store serve `desired` from `now` on (seconds). Series of pods still in `alive`
   * that are no longer desired keep their value at rate 0, as a live Envoy keeps its counters;
   * series of pods that are gone disappear, as their exporter did.
   */
  update(desired, alive, now) {
    const seen = new Set();
    for (const d of desired) {
      const series = this.families.get(d.family);
      const text = labelText(d.labels);
      const key = `${d.family}{${text}`;
      // Two outcomes can map to one series (e.g. several callers' pods): their rates add up.
      const first = !seen.has(key);
      seen.add(key);
      let s = series.get(text);
      if (!s) {
        s = { text, owner: d.owner, value: 0, rate: 0, since: now, sum: 0, buckets: null };
        series.set(text, s);
      }
      s.owner = d.owner;
      if (d.gauge) s.gauge = d.gauge;
      else if (d.histogram) this.setHistogram(s, d.histogram, now, first);
      else this.setRate(s, first ? d.rate : s.rate + d.rate, now);
    }
    for (const [family, series] of this.families) {
      for (const [text, s] of series) {
        if (seen.has(`${family}{${text}`)) continue;
        if (!alive.has(s.owner)) series.delete(text);
        else if (!s.gauge) this.setRate(s, 0, now);
      }
    }
  }

  fold(s, now) {
    const dt = now - s.since;
    s.value += s.rate * dt;
    if (s.fractions) {
      s.sum += s.rate * s.mean * dt;
      for (let i = 0; i < s.buckets.length; i++) s.buckets[i] += s.rate * s.fractions[i] * dt;
    }
    s.since = now;
  }

  setRate(s, rate, now) {
    if (s.rate === rate) return;
    this.fold(s, now);
    s.rate = rate;
  }

  setHistogram(s, { rate, fractions, mean }, now, first) {
    if (!s.buckets) s.buckets = new Float64Array(ISTIO_BUCKETS.length);
    if (!first) {
      // Same series reached twice: rates add, the distribution is the same destination's.
      this.setRate(s, s.rate + rate, now);
      return;
    }
    if (s.rate === rate && s.fractions === fractions) return;
    this.fold(s, now);
    s.rate = rate;
    s.fractions = fractions;
    s.mean = mean;
  }

  /** The Prometheus text exposition of every series at `now` (seconds). */
  render(now) {
    const parts = [];
    for (const [family, series] of this.families) {
      if (!series.size) continue;
      const [type, help] = HELP[family];
      parts.push(`# HELP ${family} ${help}\n# TYPE ${family} ${type}\n`);
      for (const s of series.values()) parts.push(this.renderOne(family, s, now));
    }
    return parts.join('');
  }

  renderOne(family, s, now) {
    if (s.gauge) return `${family}{${s.text}} ${gaugeValue(s.gauge, now)}\n`;
    const dt = now - s.since;
    const count = s.value + s.rate * dt;
    if (!s.buckets) return `${family}{${s.text}} ${count}\n`;
    let out = '';
    for (let i = 0; i < s.buckets.length; i++)
      out += `${family}_bucket{${s.text}${LE[i]}} ${s.buckets[i] + s.rate * (s.fractions?.[i] ?? 1) * dt}\n`;
    out += `${family}_bucket{${s.text},le="+Inf"} ${count}\n`;
    out += `${family}_sum{${s.text}} ${s.sum + s.rate * (s.mean ?? 0) * dt}\n`;
    out += `${family}_count{${s.text}} ${count}\n`;
    return out;
  }
}
