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
      const text = d.text ?? labelText(d.labels);
      let s = series.get(text);
      if (!s) {
        s = { text, owner: d.owner, value: 0, rate: 0, since: now, sum: 0, buckets: null };
        series.set(text, s);
      }
      // Two outcomes can map to one series (a Service called twice): their rates add up.
      const first = !seen.has(s);
      seen.add(s);
      s.owner = d.owner;
      if (d.gauge) s.gauge = d.gauge;
      else if (d.histogram) this.setHistogram(s, d.histogram, now, first);
      else this.setRate(s, first ? d.rate : s.rate + d.rate, now);
    }
    for (const series of this.families.values()) {
      for (const [text, s] of series) {
        if (seen.has(s)) continue;
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

  /**
   * The Prometheus text exposition of every series at `now` (seconds), as Buffers of about 4 MiB.
   * Pieces are written straight into buffers instead of concatenated into strings: at thousands
   * of edges the exposition is hundreds of megabytes and string ropes cost three times as much.
   */
  *chunks(now) {
    const out = new ChunkWriter();
    for (const [family, series] of this.families) {
      if (!series.size) continue;
      const [type, help] = HELP[family];
      out.put(`# HELP ${family} ${help}\n# TYPE ${family} ${type}\n`);
      for (const s of series.values()) {
        this.renderOne(out, family, s, now);
        if (out.full) yield out.take();
      }
    }
    yield out.take();
  }

  render(now) {
    return Buffer.concat([...this.chunks(now)]).toString('utf8');
  }

  renderOne(out, family, s, now) {
    // The label text is encoded once per series; a scrape only copies it.
    s.bytes ??= Buffer.from(s.text);
    const p = prefixes(family);
    if (s.gauge) return out.line(p.plain, s.bytes, CLOSE, gaugeValue(s.gauge, now));
    const dt = now - s.since;
    const count = s.value + s.rate * dt;
    if (!s.buckets) return out.line(p.plain, s.bytes, CLOSE, count);
    for (let i = 0; i < s.buckets.length; i++)
      out.line(p.bucket, s.bytes, LE[i], s.buckets[i] + s.rate * (s.fractions?.[i] ?? 1) * dt);
    out.line(p.bucket, s.bytes, LE_INF, count);
    out.line(p.sum, s.bytes, CLOSE, s.sum + s.rate * (s.mean ?? 0) * dt);
    out.line(p.count, s.bytes, CLOSE, count);
  }
}

const CLOSE = Buffer.from('} ');
const LE = ISTIO_BUCKETS.map((b) => Buffer.from(`,le="${b}"} `));
const LE_INF = Buffer.from(',le="+Inf"} ');
const PREFIXES = new Map();

function prefixes(family) {
  if (!PREFIXES.has(family)) {
    const b = (suffix) => Buffer.from(`${family}${suffix}{`);
    PREFIXES.set(family, {
      plain: b(''),
      bucket: b('_bucket'),
      sum: b('_sum'),
      count: b('_count'),
    });
  }
  return PREFIXES.get(family);
}

const CHUNK = 4 << 20;
// Room for the series that crosses CHUNK (a histogram is 23 lines of ~1 KB); room() grows beyond.
const SLACK = 256 << 10;

/** Fills fresh buffers (the socket keeps a reference to each one it is given, so none is reused). */
class ChunkWriter {
  constructor() {
    this.buf = Buffer.allocUnsafe(CHUNK + SLACK);
    this.off = 0;
  }

  get full() {
    return this.off >= CHUNK;
  }

  room(bytes) {
    if (this.off + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + bytes));
    this.buf.copy(bigger, 0, 0, this.off);
    this.buf = bigger;
  }

  /** Any string; up to three UTF-8 bytes per UTF-16 unit. */
  put(text) {
    this.room(text.length * 3);
    this.off += this.buf.write(text, this.off, 'utf8');
  }

  /** prefix labels suffix value\n, the first three already encoded. */
  line(prefix, labels, suffix, value) {
    this.room(prefix.length + labels.length + suffix.length + 32);
    // TypedArray#set is a plain memcpy; Buffer#copy costs more per call than these bytes do.
    this.buf.set(prefix, this.off);
    this.off += prefix.length;
    this.buf.set(labels, this.off);
    this.off += labels.length;
    this.buf.set(suffix, this.off);
    this.off += suffix.length;
    this.off += this.buf.latin1Write(`${value}\n`, this.off);
  }

  take() {
    const chunk = this.buf.subarray(0, this.off);
    this.buf = Buffer.allocUnsafe(CHUNK + SLACK);
    this.off = 0;
    return chunk;
  }
}
