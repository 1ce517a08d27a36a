// From the watched cluster state to the series the simulator serves: which pods run where, what
// their workloads declare (annotations.mjs), who calls whom through which Service. Pure: it returns
// plain "desired series" (labels plus a rate, a gauge line or a histogram) that series.mjs keeps.
import { simSpec } from './annotations.mjs';
import { bucketFractions, meanOf } from './histogram.mjs';
import { cadvisorSeries, volumeSeries } from './resources.mjs';

/** Each TCP "call" is one connection carrying this many bytes each way (Istio's _tcp_ series). */
export const TCP_REQUEST_BYTES = 512;
export const TCP_RESPONSE_BYTES = 4096;
const UNKNOWN = 'unknown';
/** A caller that finds no ready endpoint is answered at once by its own sidecar. */
const NO_HEALTHY_UPSTREAM = { fractions: bucketFractions({ p50: 0.25, p95: 0.475, p99: 0.495 }) };
NO_HEALTHY_UPSTREAM.mean = meanOf(NO_HEALTHY_UPSTREAM.fractions);

/** The workload a pod belongs to, as Istio names it, with the annotations that drive it. */
export function workloadOf(pod, view) {
  let kind = 'Pod';
  let name = pod.name;
  let source = pod;
  const owner = pod.owner;
  const get = (kindStore, n) => view[kindStore]?.get(`${pod.namespace}/${n}`);
  if (owner?.kind === 'ReplicaSet') {
    const rs = get('replicasets', owner.name);
    const dep = rs?.owner?.kind === 'Deployment' ? get('deployments', rs.owner.name) : null;
    [kind, name, source] = dep
      ? ['Deployment', dep.name, dep]
      : rs?.owner?.kind === 'Deployment'
        ? ['Deployment', rs.owner.name, null]
        : ['ReplicaSet', owner.name, rs];
  } else if (owner?.kind === 'StatefulSet' || owner?.kind === 'DaemonSet') {
    [kind, name, source] = [
      owner.kind,
      owner.name,
      get(`${owner.kind.toLowerCase()}s`, owner.name),
    ];
  } else if (owner?.kind === 'Job') {
    const job = get('jobs', owner.name);
    [kind, name, source] =
      job?.owner?.kind === 'CronJob' ? ['CronJob', job.owner.name, job] : ['Job', owner.name, job];
  } else if (owner) {
    [kind, name, source] = [owner.kind, owner.name, null];
  }
  // A pod template's annotations reach the pods; the workload's own ones win over them.
  const annotations = {
    ...pod.annotations,
    ...(source && source !== pod ? source.annotations : {}),
  };
  return {
    kind,
    name,
    namespace: pod.namespace,
    key: `${pod.namespace}/${kind}/${name}`,
    annotations,
  };
}

function istioIdentity(pod, workload) {
  const l = pod.labels;
  const app = l['app.kubernetes.io/name'] ?? l.app;
  const version = l['app.kubernetes.io/version'] ?? l.version;
  return {
    workload: workload.name,
    namespace: pod.namespace,
    principal: `spiffe://cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount}`,
    app: app ?? UNKNOWN,
    version: version ?? UNKNOWN,
    canonicalService: l['service.istio.io/canonical-name'] ?? app ?? workload.name,
    canonicalRevision: l['service.istio.io/canonical-revision'] ?? version ?? 'latest',
  };
}

const OUTSIDE = {
  workload: UNKNOWN,
  namespace: UNKNOWN,
  principal: UNKNOWN,
  app: UNKNOWN,
  version: UNKNOWN,
  canonicalService: UNKNOWN,
  canonicalRevision: 'latest',
};

/** Pods on KWOK nodes grouped by workload, with each one's identity and behaviour. */
function indexPods(view) {
  const workloads = new Map();
  const pods = [];
  for (const pod of view.pods.values()) {
    if (!pod.running || !view.nodes.get(`/${pod.node}`)?.kwok) continue;
    const workload = workloadOf(pod, view);
    let w = workloads.get(workload.key);
    if (!w) {
      w = { ...workload, spec: simSpec(workload.annotations, pod.namespace), pods: [], ready: [] };
      w.identity = istioIdentity(pod, workload);
      workloads.set(workload.key, w);
    }
    const entry = { pod, workload: w, key: `${pod.namespace}/${pod.name}` };
    w.pods.push(entry);
    if (pod.ready) w.ready.push(entry);
    pods.push(entry);
  }
  return { workloads, pods };
}

const matches = (selector, labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Ready pod entries behind each Service (selector → ready pods of the same namespace). */
function indexServices(view, pods) {
  const byNamespace = new Map();
  for (const p of pods) {
    if (!p.pod.ready) continue;
    if (!byNamespace.has(p.pod.namespace)) byNamespace.set(p.pod.namespace, []);
    byNamespace.get(p.pod.namespace).push(p);
  }
  const services = new Map();
  const servicesOfWorkload = new Map();
  for (const svc of view.services.values()) {
    const sel = svc.selector;
    const ready =
      sel && Object.keys(sel).length
        ? (byNamespace.get(svc.namespace) ?? []).filter((p) => matches(sel, p.pod.labels))
        : [];
    services.set(`${svc.namespace}/${svc.name}`, { svc, ready });
    for (const p of ready) {
      const list = servicesOfWorkload.get(p.workload.key) ?? [];
      if (!list.includes(svc)) list.push(svc);
      servicesOfWorkload.set(p.workload.key, list);
    }
  }
  return { services, servicesOfWorkload };
}

/** The responses a destination answers, as [labels, share] pairs. */
function outcomes(spec) {
  const ok = 1 - spec.errorRatio - spec.clientErrorRatio;
  const grpc = spec.protocol === 'grpc';
  const code = (http, status) =>
    grpc ? { response_code: '200', grpc_response_status: status } : { response_code: http };
  return [
    [code('200', '0'), ok],
    [code('503', '14'), spec.errorRatio],
    [code('404', '5'), spec.clientErrorRatio],
  ].filter(([, share]) => share > 0);
}

function edgeLabels(reporter, src, dst, service, mtls, protocol) {
  const secured = mtls && src !== OUTSIDE;
  return {
    reporter,
    source_workload: src.workload,
    source_canonical_service: src.canonicalService,
    source_canonical_revision: src.canonicalRevision,
    source_workload_namespace: src.namespace,
    source_principal: secured ? src.principal : UNKNOWN,
    source_app: src.app,
    source_version: src.version,
    source_cluster: src === OUTSIDE ? UNKNOWN : 'Kubernetes',
    destination_workload: dst.workload,
    destination_workload_namespace: dst.namespace,
    destination_principal: secured ? dst.principal : UNKNOWN,
    destination_app: dst.app,
    destination_version: dst.version,
    destination_service: service
      ? `${service.name}.${service.namespace}.svc.cluster.local`
      : UNKNOWN,
    destination_canonical_service: dst.canonicalService,
    destination_canonical_revision: dst.canonicalRevision,
    destination_service_name: service?.name ?? UNKNOWN,
    destination_service_namespace: service?.namespace ?? UNKNOWN,
    destination_cluster: dst === OUTSIDE_DESTINATION ? UNKNOWN : 'Kubernetes',
    request_protocol: protocol,
  };
}

const OUTSIDE_DESTINATION = { ...OUTSIDE };

/**
 * Pushes the series of `rate` requests per second seen by `reporterPod`: one request counter and
 * one duration histogram per response outcome, or the four TCP counters.
 */
function pushTraffic(out, { reporterPod, labels, rate, spec, latency, mtls, outcomeList }) {
  // Only the server side knows whether the connection was mTLS; the client reports "unknown".
  const policy =
    labels.reporter === 'source'
      ? UNKNOWN
      : labels.source_workload === UNKNOWN || !mtls
        ? 'none'
        : 'mutual_tls';
  const base = { ...labels, namespace: reporterPod.namespace, pod: reporterPod.name };
  const owner = `${reporterPod.namespace}/${reporterPod.name}`;
  if (spec.protocol === 'tcp') {
    const tcp = { ...base, response_flags: '-', connection_security_policy: policy };
    out.push({
      family: 'istio_tcp_sent_bytes_total',
      labels: tcp,
      owner,
      rate: rate * TCP_RESPONSE_BYTES,
    });
    out.push({
      family: 'istio_tcp_received_bytes_total',
      labels: tcp,
      owner,
      rate: rate * TCP_REQUEST_BYTES,
    });
    out.push({ family: 'istio_tcp_connections_opened_total', labels: tcp, owner, rate });
    out.push({ family: 'istio_tcp_connections_closed_total', labels: tcp, owner, rate });
    return;
  }
  for (const [codeLabels, share, flags = '-'] of outcomeList) {
    const l = { ...base, ...codeLabels, response_flags: flags, connection_security_policy: policy };
    out.push({ family: 'istio_requests_total', labels: l, owner, rate: rate * share });
    out.push({
      family: 'istio_request_duration_milliseconds',
      labels: l,
      owner,
      histogram: { rate: rate * share, fractions: latency.fractions, mean: latency.mean },
    });
  }
}

function latencyOf(w, cache) {
  const key = JSON.stringify(w.spec.latencyMs);
  if (!cache.has(key)) {
    const fractions = bucketFractions(w.spec.latencyMs);
    cache.set(key, { fractions, mean: meanOf(fractions) });
  }
  return cache.get(key);
}

function callTraffic(out, caller, call, services, latencies) {
  const target = services.get(`${call.namespace}/${call.service}`);
  const perCaller = call.rps / caller.ready.length;
  const service = target?.svc ?? { name: call.service, namespace: call.namespace };
  const ready = target?.ready ?? [];
  if (!ready.length) {
    for (const c of caller.ready)
      pushTraffic(out, {
        reporterPod: c.pod,
        labels: edgeLabels('source', caller.identity, OUTSIDE_DESTINATION, service, false, 'http'),
        rate: perCaller,
        spec: { protocol: 'http' },
        latency: NO_HEALTHY_UPSTREAM,
        mtls: false,
        outcomeList: [[{ response_code: '503' }, 1, 'UH']],
      });
    return;
  }
  const byWorkload = new Map();
  for (const d of ready) byWorkload.set(d.workload, (byWorkload.get(d.workload) ?? 0) + 1);
  for (const [dest, count] of byWorkload) {
    const { spec } = dest;
    const common = {
      spec,
      latency: latencyOf(dest, latencies),
      mtls: spec.mtls,
      outcomeList: outcomes(spec),
    };
    const protocol = spec.protocol;
    const srcLabels = edgeLabels(
      'source',
      caller.identity,
      dest.identity,
      service,
      spec.mtls,
      protocol,
    );
    for (const c of caller.ready)
      pushTraffic(out, {
        ...common,
        reporterPod: c.pod,
        labels: srcLabels,
        rate: (perCaller * count) / ready.length,
      });
    const dstLabels = edgeLabels(
      'destination',
      caller.identity,
      dest.identity,
      service,
      spec.mtls,
      protocol,
    );
    for (const d of ready.filter((p) => p.workload === dest))
      pushTraffic(out, {
        ...common,
        reporterPod: d.pod,
        labels: dstLabels,
        rate: call.rps / ready.length,
      });
  }
}

function ingressTraffic(out, w, servicesOfWorkload, latencies) {
  const service = (servicesOfWorkload.get(w.key) ?? []).toSorted((a, b) =>
    a.name.localeCompare(b.name),
  )[0];
  const { spec } = w;
  const labels = edgeLabels('destination', OUTSIDE, w.identity, service, spec.mtls, spec.protocol);
  for (const d of w.ready)
    pushTraffic(out, {
      reporterPod: d.pod,
      labels,
      rate: spec.ingressRps / w.ready.length,
      spec,
      latency: latencyOf(w, latencies),
      mtls: false,
      outcomeList: outcomes(spec),
    });
}

/**
 * Every series the simulator should serve now. `since(key, value)` remembers when an annotation
 * took its current value (for growth from "the moment set"); `now` is in seconds.
 */
export function desiredSeries(view, { now, since }) {
  const out = [];
  const problems = [];
  const { workloads, pods } = indexPods(view);
  const { services, servicesOfWorkload } = indexServices(view, pods);
  const latencies = new Map();
  for (const w of workloads.values()) {
    for (const p of w.spec.problems) problems.push(`${w.key}: ${p}`);
    if (!w.ready.length) continue;
    for (const call of w.spec.calls) callTraffic(out, w, call, services, latencies);
    if (w.spec.ingressRps > 0) ingressTraffic(out, w, servicesOfWorkload, latencies);
  }
  for (const p of pods) out.push(...cadvisorSeries(p, { now, since }));
  out.push(...volumeSeries(pods, view, { now, since }));
  return { series: out, alive: new Set(pods.map((p) => p.key)), problems };
}
