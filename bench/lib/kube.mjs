// Minimal HTTPS access to the bench cluster with the admin kubeconfig (inline client certificate),
// on node:https only: used by the fill script, the physical-floor LIST and the change-delay probe.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export function kubeconfigPath(cluster = process.env.BENCH_CLUSTER ?? 'bench', role = 'admin') {
  return join(repoRoot, '.cloudpilot', 'clusters', cluster, `${role}.kubeconfig`);
}

/** Server URL and TLS material of a kubeconfig written by cluster:up (JSON, inline data only). */
export function loadKubeconfig(file = kubeconfigPath()) {
  const kc = JSON.parse(readFileSync(file, 'utf8'));
  const ctx = kc.contexts.find((c) => c.name === kc['current-context']) ?? kc.contexts[0];
  const cluster = kc.clusters.find((c) => c.name === ctx.context.cluster).cluster;
  const user = kc.users.find((u) => u.name === ctx.context.user).user;
  const b64 = (s) => (s ? Buffer.from(s, 'base64') : undefined);
  return {
    server: cluster.server,
    ca: b64(cluster['certificate-authority-data']),
    cert: b64(user['client-certificate-data']),
    key: b64(user['client-key-data']),
    token: user.token,
  };
}

/** A keep-alive client: request(method, path, { body, accept, contentType }) → { status, text }. */
export function kubeHttp(config = loadKubeconfig(), { maxSockets = 16 } = {}) {
  const url = new URL(config.server);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets,
    ca: config.ca,
    cert: config.cert,
    key: config.key,
  });
  function request(
    method,
    path,
    { body, accept = 'application/json', contentType = 'application/json' } = {},
  ) {
    return new Promise((resolve, reject) => {
      const headers = { Accept: accept };
      if (config.token) headers.Authorization = `Bearer ${config.token}`;
      let payload;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['Content-Type'] = contentType;
        headers['Content-Length'] = Buffer.byteLength(payload);
      }
      const req = https.request(
        { host: url.hostname, port: url.port, path, method, agent, headers },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
  async function json(method, path, opts) {
    const res = await request(method, path, opts);
    if (res.status < 200 || res.status >= 300)
      throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    return JSON.parse(res.text);
  }
  return { request, json, agent, server: config.server, close: () => agent.destroy() };
}

/** Runs fn over items with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
