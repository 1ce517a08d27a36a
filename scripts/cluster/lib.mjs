// The CloudPilot test cluster: a real kube-apiserver + etcd + controller-manager + scheduler with
// KWOK fake nodes, assembled by kwokctl's binary runtime from binaries built by build.sh.
// Used by the npm scripts (cli.mjs) and by the Jest global set-up; plain Node ESM, no dependencies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACCESS_NAMESPACE, accessManifest, nodeManifest } from './manifests.mjs';
import {
  DEFAULT_SCRAPE_INTERVAL,
  ensureTelemetry,
  missingTelemetryBinaries,
  stopTelemetry,
  telemetryBinDir,
  telemetryStatus,
} from './telemetry.mjs';

export { ACCESS_NAMESPACE, nodeManifest, telemetryBinDir };

const here = path.dirname(fileURLToPath(import.meta.url));

/** Root of the repository this script lives in. */
export const repoRoot = path.resolve(here, '../..');

/** Component versions, from scripts/cluster/versions.env (shared with build.sh). */
export const versions = Object.fromEntries(
  fs
    .readFileSync(path.join(here, 'versions.env'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => line.split('=', 2)),
);

export const REQUIRED_BINARIES = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'etcd',
  'kwok',
  'kwokctl',
];

/** Label that the fault stages (stages/faults.yaml) react to. */
export const FAULT_LABEL = 'cloudpilot.dev/fault';
export const DEFAULT_CLUSTER = 'dev';
const DEFAULT_NODES = 2;
const TOKEN_DURATION = '8760h';

const cacheRoot = () =>
  path.join(
    process.env.CLOUDPILOT_K8S_CACHE || path.join(os.homedir(), '.cache', 'cloudpilot', 'k8s'),
    versions.K8S_VERSION,
  );
const assetsDir = () => path.join(cacheRoot(), 'assets');
const stateRoot = () => path.join(repoRoot, '.cloudpilot');
const kwokWorkdir = () => path.join(stateRoot(), 'kwok');

/** Directory with the component binaries: CLOUDPILOT_K8S_BIN_DIR, else the build cache. */
export function binDir() {
  return process.env.CLOUDPILOT_K8S_BIN_DIR || path.join(cacheRoot(), 'bin');
}

export function bin(name) {
  return path.join(binDir(), name);
}

/** Where cluster:up writes admin/viewer/operator kubeconfigs for cluster `name`. */
export function kubeconfigDir(name = DEFAULT_CLUSTER) {
  return path.join(stateRoot(), 'clusters', name);
}

export function kubeconfigPath(name = DEFAULT_CLUSTER, role = 'admin') {
  return path.join(kubeconfigDir(name), `${role}.kubeconfig`);
}

/** An error whose message is one line meant for a human, printed without a stack by the CLI. */
export class ClusterError extends Error {
  name = 'ClusterError';
}

function validateName(name) {
  if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(name)) {
    throw new ClusterError(`cluster name "${name}" must be a DNS label of at most 32 characters`);
  }
}

/**
 * Runs a command and returns its stdout. Throws with the command's stderr on failure.
 * Synchronous on purpose: callers are CLIs and the Jest global set-up, which have nothing
 * else to do meanwhile, and sync calls keep the ordering obvious.
 */
export function run(cmd, args, { env, input, timeoutMs = 120_000, allowFail = false, stdio } = {}) {
  const res = spawnSync(cmd, args, {
    env: { ...process.env, ...env },
    input,
    timeout: timeoutMs,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: stdio ?? ['pipe', 'pipe', 'pipe'],
  });
  if (res.error) {
    if (allowFail) return null;
    throw new ClusterError(`${path.basename(cmd)} ${args.join(' ')}: ${res.error.message}`);
  }
  if (res.status !== 0) {
    if (allowFail) return null;
    const detail = (res.stderr || res.stdout || '').trim().split('\n').slice(-5).join(' | ');
    throw new ClusterError(
      `${path.basename(cmd)} ${args.slice(0, 6).join(' ')} failed (exit ${res.status}): ${detail}`,
    );
  }
  return res.stdout ?? '';
}

/** kubectl against cluster `name` as `role` (admin | viewer | operator). */
export function kubectl(name, role, args, opts = {}) {
  return run(bin('kubectl'), ['--kubeconfig', kubeconfigPath(name, role), ...args], opts);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, check, { timeoutMs = 120_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new ClusterError(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${last.message}` : ''}`,
  );
}

function hasGo() {
  return run('go', ['version'], { allowFail: true, timeoutMs: 30_000 }) !== null;
}

/**
 * Makes sure the component binaries and the stage/CRD assets exist (and Prometheus when
 * `telemetry`), building them when Go is available. Fails with one line naming what to install or
 * set, never silently.
 */
export function ensureBinaries({ log = defaultLog, telemetry = false } = {}) {
  if (telemetry) ensureTelemetryBinaries(log);
  const missing = REQUIRED_BINARIES.filter((b) => !fs.existsSync(bin(b)));
  const needAssets = !fs.existsSync(path.join(assetsDir(), '.complete'));
  if (missing.length && process.env.CLOUDPILOT_K8S_BIN_DIR) {
    throw new ClusterError(`CLOUDPILOT_K8S_BIN_DIR=${binDir()} lacks ${missing.join(', ')}`);
  }
  if (!missing.length && !needAssets) return;
  if (!hasGo()) {
    throw new ClusterError(
      `the test cluster needs ${missing.length ? missing.join(', ') : 'KWOK stages and Istio/Gateway API CRDs'}, ` +
        'which are built from Go modules: install Go >= 1.26 and run `npm run cluster:build`, ' +
        'or set CLOUDPILOT_K8S_BIN_DIR to a directory holding ' +
        REQUIRED_BINARIES.join(', '),
    );
  }
  const what = missing.length ? 'all' : 'assets';
  log(
    `building test cluster ${what === 'all' ? 'binaries (cold build: 20-40 min on 2 cores)' : 'assets'}…`,
  );
  // Build output goes to stderr so that it never mixes with a CLI's stdout.
  run('bash', [path.join(here, 'build.sh'), what], {
    timeoutMs: 90 * 60_000,
    stdio: ['ignore', 2, 2],
  });
}

function ensureTelemetryBinaries(log) {
  const missing = missingTelemetryBinaries();
  if (!missing.length) return;
  if (process.env.CLOUDPILOT_TELEMETRY_BIN_DIR || !hasGo()) {
    throw new ClusterError(
      `${telemetryBinDir()} lacks ${missing.join(', ')}: install Go >= 1.26 and run ` +
        '`npm run cluster:build`, set CLOUDPILOT_TELEMETRY_BIN_DIR to a directory holding them, ' +
        'or start the cluster with --no-prometheus',
    );
  }
  log(`building ${missing.join(' and ')} (cold build: 10-20 min on 2 cores)…`);
  run('bash', [path.join(here, 'build.sh'), 'telemetry'], {
    timeoutMs: 90 * 60_000,
    stdio: ['ignore', 2, 2],
  });
}

function defaultLog(msg) {
  process.stderr.write(`[cluster] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// Locking: one cluster:up/down per cluster name at a time (Jest set-up and a developer's shell
// may race). A lock file holds the owner's pid; a lock whose owner is gone is taken over.

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The last lines of each component's log, for an error message (empty when there are none). */
function componentLogTails(name, lines = 5) {
  const dir = path.join(kwokClusterDir(name), 'logs');
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir)
    .map(
      (f) =>
        `\n--- ${f}:\n${fs.readFileSync(path.join(dir, f), 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`,
    )
    .join('');
}

async function withLock(name, fn, { timeoutMs = 15 * 60_000 } = {}) {
  const dir = path.join(stateRoot(), 'locks');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8')) || 0;
      if (!owner || !pidAlive(owner)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new ClusterError(`cluster "${name}" is locked by pid ${owner} (${file})`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// kwokctl

function kwokctl(args, opts = {}) {
  return run(bin('kwokctl'), args, {
    ...opts,
    env: {
      KWOK_WORKDIR: kwokWorkdir(),
      KWOK_KUBE_VERSION: versions.K8S_VERSION,
      KWOK_KUBECTL_BINARY: bin('kubectl'),
      ...opts.env,
    },
  });
}

function kwokClusterDir(name) {
  return path.join(kwokWorkdir(), 'clusters', name);
}

/**
 * The stages kwok-controller runs: the stock "fast" set plus CloudPilot's fault stages. The stock
 * node-initialize stage is told to leave nodes carrying the fault label alone, otherwise a
 * NotReady node would be made Ready; pod-ready is our own version of the stock one
 * (stages/pod-ready.yaml: it leaves fault pods alone too, and sets pod IPs so a retry cannot be
 * refused for ever).
 */
function writeKwokConfig(file) {
  const stagesDir = path.join(assetsDir(), 'stages');
  const docs = fs
    .readdirSync(stagesDir)
    .filter((f) => f.endsWith('.yaml') && f !== 'pod-ready.yaml')
    .sort()
    .map((f) => {
      let text = fs.readFileSync(path.join(stagesDir, f), 'utf8');
      if (f === 'node-initialize.yaml') {
        const marker = '    matchExpressions:\n';
        if (!text.includes(marker))
          throw new ClusterError(`unexpected layout of ${f}: cannot exclude fault objects`);
        text = text.replace(
          marker,
          `${marker}    - key: '.metadata.labels["${FAULT_LABEL}"]'\n      operator: 'DoesNotExist'\n`,
        );
      }
      return text;
    });
  for (const own of ['pod-ready.yaml', 'faults.yaml'])
    docs.push(fs.readFileSync(path.join(here, 'stages', own), 'utf8'));
  // kwokctl binds every component to 0.0.0.0 by default; tests need (and may only use) loopback.
  docs.unshift(
    [
      'apiVersion: config.kwok.x-k8s.io/v1alpha1',
      'kind: KwokctlConfiguration',
      'options:',
      '  bindAddress: 127.0.0.1',
    ].join('\n'),
  );
  fs.writeFileSync(file, docs.map((d) => d.trim()).join('\n---\n') + '\n');
}

function readKwokServer(name) {
  const text = fs.readFileSync(path.join(kwokClusterDir(name), 'kubeconfig.yaml'), 'utf8');
  const match = /server:\s*(https:\/\/\S+)/.exec(text);
  if (!match)
    throw new ClusterError(`no https server in kwokctl's kubeconfig for "${name}" (is TLS off?)`);
  return match[1];
}

// ---------------------------------------------------------------------------------------------
// Kubeconfigs: inline data only (the product refuses kubeconfigs that point at files or exec).

const b64 = (text) => Buffer.from(text).toString('base64');

function kubeconfig({ name, server, caPem, user, credentials }) {
  const context = `cloudpilot-${name}-${user}`;
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: `cloudpilot-${name}`,
          cluster: { server, 'certificate-authority-data': b64(caPem) },
        },
      ],
      users: [{ name: `cloudpilot-${name}-${user}`, user: credentials }],
      contexts: [
        {
          name: context,
          context: { cluster: `cloudpilot-${name}`, user: `cloudpilot-${name}-${user}` },
        },
      ],
      'current-context': context,
    },
    null,
    2,
  );
}

function writeSecret(file, text) {
  fs.writeFileSync(file, text, { mode: 0o600 });
}

function writeAdminKubeconfig(name, server) {
  const pki = path.join(kwokClusterDir(name), 'pki');
  const read = (f) => fs.readFileSync(path.join(pki, f), 'utf8');
  writeSecret(
    kubeconfigPath(name, 'admin'),
    kubeconfig({
      name,
      server,
      caPem: read('ca.crt'),
      user: 'admin',
      // kwokctl's admin certificate is in group system:masters.
      credentials: {
        'client-certificate-data': b64(read('admin.crt')),
        'client-key-data': b64(read('admin.key')),
      },
    }),
  );
}

function writeTokenKubeconfigs(name, server) {
  const caPem = fs.readFileSync(path.join(kwokClusterDir(name), 'pki', 'ca.crt'), 'utf8');
  for (const role of ['viewer', 'operator']) {
    const token = kubectl(name, 'admin', [
      'create',
      'token',
      role,
      '-n',
      ACCESS_NAMESPACE,
      `--duration=${TOKEN_DURATION}`,
    ]).trim();
    writeSecret(
      kubeconfigPath(name, role),
      kubeconfig({ name, server, caPem, user: role, credentials: { token } }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Cluster content

function crdFiles() {
  const dir = path.join(assetsDir(), 'crds');
  const gw = path.join(dir, 'gateway-api');
  return [
    path.join(dir, 'istio.yaml'),
    ...fs
      .readdirSync(gw)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => path.join(gw, f)),
  ];
}

const MESH_GROUPS = /\.(istio\.io|gateway\.networking\.k8s\.io)$/;

function meshCrds(name) {
  return kubectl(name, 'admin', ['get', 'crd', '-o', 'name'])
    .split('\n')
    .map((l) => l.replace(/^.*\//, ''))
    .filter((n) => MESH_GROUPS.test(n));
}

/** Installs (or removes) the Istio and Gateway API CRDs so the cluster matches `istio`. */
async function reconcileMesh(name, istio, log) {
  if (!istio) {
    const crds = meshCrds(name);
    if (crds.length) {
      log(`removing ${crds.length} Istio/Gateway API CRDs (--no-istio)`);
      kubectl(name, 'admin', ['delete', 'crd', '--wait=true', ...crds], { timeoutMs: 180_000 });
    }
    return;
  }
  // Server-side apply: the Istio CRDs are too large for the last-applied annotation.
  const args = [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=cloudpilot-cluster',
  ];
  for (const f of crdFiles()) args.push('-f', f);
  kubectl(name, 'admin', args, { timeoutMs: 180_000 });
  kubectl(
    name,
    'admin',
    ['wait', '--for=condition=Established', '--timeout=120s', 'crd', ...meshCrds(name)],
    {
      timeoutMs: 150_000,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Status

function readState(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(kubeconfigDir(name), 'cluster.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** True when cluster `name` answers /readyz with its admin kubeconfig. */
export function isClusterReady(name = DEFAULT_CLUSTER) {
  if (!fs.existsSync(kubeconfigPath(name, 'admin')) || !fs.existsSync(bin('kubectl'))) return false;
  return (
    kubectl(name, 'admin', ['get', '--raw', '/readyz', '--request-timeout=5s'], {
      allowFail: true,
      timeoutMs: 10_000,
    }) !== null
  );
}

/** Names of the clusters this checkout knows about (started or stale). */
export function listClusters() {
  const dir = path.join(stateRoot(), 'clusters');
  const fromState = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const kwokDir = path.join(kwokWorkdir(), 'clusters');
  const fromKwok = fs.existsSync(kwokDir) ? fs.readdirSync(kwokDir) : [];
  return [...new Set([...fromState, ...fromKwok])].sort();
}

/** Where Prometheus and the telemetry simulator of cluster `name` keep their state and data. */
export function telemetryDir(name = DEFAULT_CLUSTER) {
  return path.join(kubeconfigDir(name), 'telemetry');
}

export async function clusterStatus(name) {
  const state = readState(name);
  const telemetry = await telemetryStatus(telemetryDir(name));
  const ready = isClusterReady(name);
  let nodes = null;
  if (ready) {
    const out = kubectl(
      name,
      'admin',
      [
        'get',
        'nodes',
        '-o',
        'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
      ],
      {
        allowFail: true,
      },
    );
    if (out !== null) {
      const lines = out.split('\n').filter(Boolean);
      nodes = { total: lines.length, ready: lines.filter((l) => l === 'True').length };
    }
  }
  return {
    name,
    ready,
    server: state?.server ?? null,
    istio: state?.istio ?? null,
    nodes,
    kubeconfigDir: kubeconfigDir(name),
    prometheusUrl: telemetry.running ? telemetry.state.prometheusUrl : null,
    simulatorUrl: telemetry.running ? telemetry.state.simulatorUrl : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Up / down

/**
 * Starts cluster `name` (or reuses it when it already answers), and writes
 * `.cloudpilot/clusters/<name>/{admin,viewer,operator}.kubeconfig`. With `prometheus` (the
 * default) Prometheus and the telemetry simulator run next to it (telemetry.mjs).
 *
 * @param {{name?: string, istio?: boolean, nodes?: number, prometheus?: boolean,
 *   scrapeInterval?: string, log?: (msg: string) => void}} [options]
 * @returns {Promise<{name: string, kubeconfigDir: string, server: string, started: boolean,
 *   prometheusUrl: string | null, simulatorUrl: string | null}>}
 *   `started` is true only when this call created the cluster, so callers stop only what they started.
 */
export async function ensureCluster({
  name = DEFAULT_CLUSTER,
  istio = true,
  nodes = DEFAULT_NODES,
  prometheus = true,
  scrapeInterval = DEFAULT_SCRAPE_INTERVAL,
  log = defaultLog,
} = {}) {
  validateName(name);
  if (!Number.isInteger(nodes) || nodes < 1)
    throw new ClusterError(`--nodes must be a positive integer, not ${nodes}`);
  if (!/^[1-9][0-9]*(ms|s|m)$/.test(scrapeInterval))
    throw new ClusterError(`--scrape-interval must be a duration like 1s, not ${scrapeInterval}`);
  ensureBinaries({ log, telemetry: prometheus });
  return withLock(name, async () => {
    const state = readState(name);
    if (state && isClusterReady(name)) {
      const res = await reuseCluster(name, state, istio, log);
      return { ...res, ...(await reconcileTelemetry(name, { prometheus, scrapeInterval, log })) };
    }
    await stopTelemetry(telemetryDir(name));
    const t0 = Date.now();
    if (fs.existsSync(kwokClusterDir(name))) {
      log(`cluster "${name}" exists but does not answer; recreating it`);
      deleteKwokCluster(name);
    }
    fs.rmSync(kubeconfigDir(name), { recursive: true, force: true });
    fs.mkdirSync(kubeconfigDir(name), { recursive: true, mode: 0o700 });
    try {
      // kwokctl picks free ports itself: two clusters starting at once can pick the same one, so
      // starts are serialised across processes (reuse above stays concurrent).
      const server = await withLock('.start', async () => {
        const url = startProcesses(name, log);
        await provision(name, url, { istio, nodes, log });
        return url;
      });
      const telemetry = await reconcileTelemetry(name, { prometheus, scrapeInterval, log });
      log(
        `cluster "${name}" ready at ${server} in ${((Date.now() - t0) / 1000).toFixed(1)}s; kubeconfigs in ${kubeconfigDir(name)}`,
      );
      return { name, kubeconfigDir: kubeconfigDir(name), server, started: true, ...telemetry };
    } catch (err) {
      // Keep the components' last words before the logs go with the cluster.
      err.message += componentLogTails(name);
      // Leave no half-started processes behind (a failed Jest set-up would otherwise leak them).
      await stopTelemetry(telemetryDir(name));
      deleteKwokCluster(name);
      fs.rmSync(kubeconfigDir(name), { recursive: true, force: true });
      throw err;
    }
  });
}

/** Starts (or keeps, or with `prometheus` false stops) the cluster's Prometheus and simulator. */
async function reconcileTelemetry(name, { prometheus, scrapeInterval, log }) {
  const dir = telemetryDir(name);
  if (!prometheus) {
    if (await stopTelemetry(dir)) log(`stopped Prometheus of "${name}" (--no-prometheus)`);
    return { prometheusUrl: null, simulatorUrl: null };
  }
  try {
    const state = await ensureTelemetry({
      dir,
      kubeconfig: kubeconfigPath(name, 'admin'),
      cluster: name,
      scrapeInterval,
      log,
    });
    return { prometheusUrl: state.prometheusUrl, simulatorUrl: state.simulatorUrl };
  } catch (err) {
    throw new ClusterError(`cluster "${name}": Prometheus did not start: ${err.message}`);
  }
}

async function reuseCluster(name, state, istio, log) {
  if (state.istio !== istio) {
    await reconcileMesh(name, istio, log);
    fs.writeFileSync(
      path.join(kubeconfigDir(name), 'cluster.json'),
      JSON.stringify({ ...state, istio }, null, 2),
    );
  }
  log(`cluster "${name}" is already running at ${state.server}; reusing it`);
  return { name, kubeconfigDir: kubeconfigDir(name), server: state.server, started: false };
}

/** Starts the control plane and kwok-controller; returns the API server URL. */
function startProcesses(name, log) {
  const kwokConfig = path.join(kubeconfigDir(name), 'kwok.yaml');
  writeKwokConfig(kwokConfig);
  log(
    `starting cluster "${name}" (kube ${versions.K8S_VERSION}, etcd ${versions.ETCD_VERSION}, kwok ${versions.KWOK_VERSION})…`,
  );
  kwokctl(
    [
      ...['--name', name, 'create', 'cluster', '--runtime=binary'],
      `--kube-apiserver-binary=${bin('kube-apiserver')}`,
      `--kube-controller-manager-binary=${bin('kube-controller-manager')}`,
      `--kube-scheduler-binary=${bin('kube-scheduler')}`,
      `--etcd-binary=${bin('etcd')}`,
      `--kwok-controller-binary=${bin('kwok')}`,
      ...['--secure-port=true', '--kube-authorization=true'],
      // Client-side rate limits in controller-manager/scheduler/kwok would make a 1000-pod
      // benchmark take ~50 s of throttling instead of measuring anything.
      '--disable-qps-limits',
      // Compact etcd every 20 s (default 5 min) and serve ConfigMap watches from etcd, not the
      // watch cache (which replays a young cluster's whole history instead of answering 410), so
      // a fresh cluster soon answers 410 Gone for old resourceVersions as long-lived ones do; the
      // informer's relist path is tested on ConfigMaps. Other kinds keep the watch cache.
      '--extra-args=kube-apiserver=etcd-compaction-interval=20s',
      '--extra-args=kube-apiserver=watch-cache-sizes=configmaps#0',
      // --disable-qps-limits also turns API Priority and Fairness off (and the in-flight limits to
      // 0), so the server could never answer 429. Turn APF back on with the upstream defaults
      // (later flags win): a real cluster runs it, and the throttling test needs it. Admin and the
      // control plane are exempt or high priority, so benchmarks are not slowed by it.
      '--extra-args=kube-apiserver=enable-priority-and-fairness=true',
      '--extra-args=kube-apiserver=max-requests-inflight=400',
      '--extra-args=kube-apiserver=max-mutating-requests-inflight=200',
      // Let tests create Logs/ClusterLogs objects at run time, so `kubectl logs` can be scripted.
      '--enable-crds=Logs,ClusterLogs',
      `--config=${kwokConfig}`,
      // Leave ~/.kube/config alone: CloudPilot's kubeconfigs are written by us.
      '--kubeconfig=',
      ...['--wait=3m', '--timeout=5m'],
    ],
    { timeoutMs: 6 * 60_000 },
  );
  const server = readKwokServer(name);
  writeAdminKubeconfig(name, server);
  return server;
}

/** Nodes, access, CRDs; then waits until pods can be created and writes the token kubeconfigs. */
async function provision(name, server, { istio, nodes, log }) {
  await waitFor('kube-apiserver /readyz', () => isClusterReady(name));
  const nodeNames = Array.from({ length: nodes }, (_, i) => `kwok-node-${i}`);
  kubectl(name, 'admin', ['apply', '-f', '-'], { input: nodeManifest(nodeNames) });
  kubectl(name, 'admin', ['apply', '-f', '-'], { input: JSON.stringify(accessManifest()) });
  await reconcileMesh(name, istio, log);
  kubectl(
    name,
    'admin',
    ['wait', '--for=condition=Ready', '--timeout=120s', 'node', ...nodeNames],
    { timeoutMs: 150_000 },
  );
  // Pods cannot be created in a namespace before its default ServiceAccount exists.
  await waitFor(
    'the default ServiceAccount',
    () =>
      kubectl(name, 'admin', ['get', 'serviceaccount', 'default', '-n', 'default'], {
        allowFail: true,
      }) !== null,
  );
  writeTokenKubeconfigs(name, server);
  const state = {
    name,
    server,
    istio,
    k8sVersion: versions.K8S_VERSION,
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(kubeconfigDir(name), 'cluster.json'), JSON.stringify(state, null, 2));
}

/**
 * kwokctl stops components by the pids it recorded, without checking what those pids are now.
 * After a reboot or a killed session a recorded pid may belong to an unrelated process, so drop
 * every pid file whose process does not run from this cluster's directory.
 */
function forgetForeignPids(name) {
  const dir = path.join(kwokClusterDir(name), 'pids');
  if (!fs.existsSync(dir)) return;
  for (const file of fs.readdirSync(dir)) {
    const pid = Number(fs.readFileSync(path.join(dir, file), 'utf8').trim());
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // process gone
    }
    if (!pid || !cmdline.includes(kwokClusterDir(name) + path.sep))
      fs.rmSync(path.join(dir, file), { force: true });
  }
}

function deleteKwokCluster(name) {
  forgetForeignPids(name);
  kwokctl(['--name', name, 'delete', 'cluster'], { timeoutMs: 120_000, allowFail: true });
  fs.rmSync(kwokClusterDir(name), { recursive: true, force: true });
}

/** Stops cluster `name` and removes its kubeconfigs. Returns false when it was not there. */
export async function stopCluster(name = DEFAULT_CLUSTER, { log = defaultLog } = {}) {
  validateName(name);
  return withLock(name, async () => {
    const existed = fs.existsSync(kwokClusterDir(name)) || fs.existsSync(kubeconfigDir(name));
    await stopTelemetry(telemetryDir(name));
    if (existed && fs.existsSync(bin('kwokctl'))) deleteKwokCluster(name);
    fs.rmSync(kubeconfigDir(name), { recursive: true, force: true });
    log(existed ? `cluster "${name}" stopped` : `cluster "${name}" was not running`);
    return existed;
  });
}
