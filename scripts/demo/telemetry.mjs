// The demo's telemetry part: the storefront whose checkout → payments edge fails 8 %, the demo
// cluster's Prometheus as the cluster's source, and the lines that print payments' health.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubectl } from '../cluster/lib.mjs';

const MANIFEST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'storefront.yaml');
const WINDOW = 30;

export function applyStorefront(cluster) {
  kubectl(cluster, 'admin', ['apply', '-f', '-'], { input: fs.readFileSync(MANIFEST, 'utf8') });
}

const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`;

/** Points the cluster at its Prometheus, waits for a window of traffic and describes payments. */
export async function telemetryLines(api, token, prometheusUrl) {
  if (!prometheusUrl) return ['  Telemetry:    off (the cluster runs without Prometheus)'];
  const put = await api('PUT', '/api/v1/clusters/dev/telemetry/source', token, {
    type: 'url',
    url: prometheusUrl,
  });
  if (put.status !== 200) return [`  Telemetry:    ${put.body.code}: ${put.body.message}`];
  const route = `/api/v1/clusters/dev/telemetry/services?namespace=storefront&name=payments&windowSeconds=${WINDOW}`;
  const read = async () => {
    const res = await api('GET', route, token);
    if (res.body.data?.telemetry.state === 'error')
      throw new Error(res.body.data.telemetry.error.code);
    return res.body.data?.items?.[0];
  };
  let payments;
  try {
    // First traffic, then one full window: a rate over a window that is not full yet is
    // extrapolated from the few scrapes it has, and its error ratio with it.
    for (let i = 0; i < 60 && !payments; i++) {
      payments = await read();
      if (!payments) await new Promise((r) => setTimeout(r, 1000));
    }
    if (payments) {
      await new Promise((r) => setTimeout(r, (WINDOW + 3) * 1000));
      payments = await read();
    }
  } catch (error) {
    return [`  Telemetry:    ${error.message}`];
  }
  if (!payments) return ['  Telemetry:    no traffic seen yet for storefront/payments'];
  const s = payments.inbound;
  const reasons = payments.health.reasons
    .map(
      (r) =>
        `${r.code} ${r.percent} % (degraded from ${r.degraded} %, failure above ${r.failure} %)`,
    )
    .join('; ');
  return [
    `  Telemetry:    storefront/payments is ${payments.health.status}${reasons ? `: ${reasons}` : ''}`,
    `                ${s.requestsPerSecond} req/s, 5xx ${percent(s.errorRatio5xx)}, 4xx ${percent(s.errorRatio4xx)}, p50/p95/p99 ${s.latencyMs.p50}/${s.latencyMs.p95}/${s.latencyMs.p99} ms (last ${WINDOW} s)`,
    `  Graph:        GET /api/v1/clusters/dev/telemetry/graph?namespace=storefront&format=mermaid`,
  ];
}
