// Prometheus and the telemetry simulator next to a test cluster: the simulator plays the kubelets'
// cAdvisor and the Envoy sidecars for the pods on KWOK nodes, Prometheus scrapes it (and itself).
// Both run as detached processes owned by the cluster: started by cluster:up, stopped by
// cluster:down, their state under .cloudpilot/clusters/NAME/telemetry/. Plain Node ESM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIMULATOR = path.join(here, 'telemetry-sim', 'main.mjs');
const STATE_FILE = 'telemetry.json';
/** Scrape (and rule evaluation) interval used by the test clusters. */
export const DEFAULT_SCRAPE_INTERVAL = '1s';

/** Directory with prometheus and alertmanager: CLOUDPILOT_TELEMETRY_BIN_DIR, else the build cache. */
export function telemetryBinDir() {
  return (
    process.env.CLOUDPILOT_TELEMETRY_BIN_DIR ||
    path.join(
      process.env.CLOUDPILOT_TELEMETRY_CACHE ||
        path.join(os.homedir(), '.cache', 'cloudpilot', 'telemetry'),
      'bin',
    )
  );
}

export const TELEMETRY_BINARIES = ['prometheus', 'alertmanager'];

export function missingTelemetryBinaries() {
  return TELEMETRY_BINARIES.filter((b) => !fs.existsSync(path.join(telemetryBinDir(), b)));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** True when `url` answers 200 within a second. */
async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function scrapesSimulator(prometheusUrl) {
  try {
    const query = encodeURIComponent('up{job="telemetry-simulator"} == 1');
    const res = await fetch(`${prometheusUrl}/api/v1/query?query=${query}`, {
      signal: AbortSignal.timeout(1_000),
    });
    const body = await res.json();
    return body.data?.result?.length > 0;
  } catch {
    return false;
  }
}

/** The state cluster:up recorded for the cluster's telemetry, or null when it has none. */
export function readTelemetryState(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** A recorded pid counts only while it still runs a command line naming our state directory. */
function ownedPid(pid, dir) {
  if (!pid) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}

/** Whether Prometheus and the simulator recorded in `dir` are running and answering. */
export async function telemetryStatus(dir) {
  const state = readTelemetryState(dir);
  if (!state) return { running: false, state: null };
  const alive = ownedPid(state.pids?.prometheus, dir) && ownedPid(state.pids?.simulator, dir);
  const ready =
    alive &&
    (await answers(`${state.prometheusUrl}/-/ready`)) &&
    (await answers(`${state.simulatorUrl}/healthz`));
  return { running: ready, state };
}

function spawnDetached(cmd, args, logFile) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  return child;
}

async function waitUntil(what, check, child, logFile, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child.once('exit', (code, signal) => (exited = signal ?? code));
  while (Date.now() < deadline) {
    if (await check()) return;
    if (exited !== null) break;
    await sleep(100);
  }
  const tail = fs.existsSync(logFile)
    ? fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-5).join(' | ')
    : '';
  throw new Error(
    `${what} ${exited !== null ? `exited (${exited})` : `not ready after ${timeoutMs / 1000}s`}: ${tail}`,
  );
}

async function startSimulator(dir, kubeconfig) {
  const portFile = path.join(dir, 'simulator.port');
  fs.rmSync(portFile, { force: true });
  const log = path.join(dir, 'simulator.log');
  const child = spawnDetached(
    process.execPath,
    [SIMULATOR, '--kubeconfig', kubeconfig, '--port-file', portFile, '--state-dir', dir],
    log,
  );
  let url = '';
  await waitUntil(
    'the telemetry simulator',
    async () => {
      if (!fs.existsSync(portFile)) return false;
      url = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
      return answers(`${url}/healthz`);
    },
    child,
    log,
  );
  return { pid: child.pid, url };
}

/** Prometheus's configuration: the simulator as kubelet/cAdvisor and Envoy, and itself. */
export function prometheusConfig({ simulatorUrl, prometheusUrl, scrapeInterval, cluster }) {
  const target = (url) => JSON.stringify(new URL(url).host);
  return [
    'global:',
    `  scrape_interval: ${scrapeInterval}`,
    `  evaluation_interval: ${scrapeInterval}`,
    // Real setups label series with the cluster they come from; so do we.
    `  external_labels: { cluster: ${JSON.stringify(cluster)} }`,
    'scrape_configs:',
    '  - job_name: telemetry-simulator',
    `    static_configs: [{ targets: [${target(simulatorUrl)}] }]`,
    // The simulator's series carry their own namespace/pod labels, as cAdvisor's do.
    '    honor_labels: true',
    '  - job_name: prometheus',
    `    static_configs: [{ targets: [${target(prometheusUrl)}] }]`,
    '',
  ].join('\n');
}

async function startPrometheus(dir, { simulatorUrl, scrapeInterval, cluster }) {
  const data = path.join(dir, 'prometheus-data');
  const config = path.join(dir, 'prometheus.yml');
  const log = path.join(dir, 'prometheus.log');
  fs.mkdirSync(data, { recursive: true });
  // A free port can be taken between probing and binding; a second pick settles that race.
  for (let attempt = 1; ; attempt++) {
    const url = `http://127.0.0.1:${await freePort()}`;
    fs.writeFileSync(
      config,
      prometheusConfig({ simulatorUrl, prometheusUrl: url, scrapeInterval, cluster }),
    );
    const child = spawnDetached(
      path.join(telemetryBinDir(), 'prometheus'),
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        `--web.listen-address=${new URL(url).host}`,
        '--storage.tsdb.retention.time=1d',
        // Lets a test reload the configuration (POST /-/reload) instead of restarting.
        '--web.enable-lifecycle',
        '--log.level=warn',
      ],
      log,
    );
    try {
      await waitUntil('Prometheus', () => answers(`${url}/-/ready`), child, log);
      // Target discovery settles ~5 s after start; callers get a Prometheus that already scrapes.
      await waitUntil('Prometheus scraping the simulator', () => scrapesSimulator(url), child, log);
      return { pid: child.pid, url };
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}

/**
 * Starts Prometheus and the simulator for the cluster whose state lives in `dir` (or keeps the
 * running pair). Returns the recorded state: prometheusUrl, simulatorUrl, scrapeInterval, pids.
 */
export async function ensureTelemetry({
  dir,
  kubeconfig,
  cluster,
  scrapeInterval = DEFAULT_SCRAPE_INTERVAL,
  log = () => {},
}) {
  const status = await telemetryStatus(dir);
  if (status.running && status.state.scrapeInterval === scrapeInterval) return status.state;
  await stopTelemetry(dir);
  const missing = missingTelemetryBinaries();
  if (missing.includes('prometheus'))
    throw new Error(`${path.join(telemetryBinDir(), 'prometheus')} is missing`);
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const simulator = await startSimulator(dir, kubeconfig);
  let prometheus;
  try {
    prometheus = await startPrometheus(dir, {
      simulatorUrl: simulator.url,
      scrapeInterval,
      cluster,
    });
  } catch (err) {
    killOwned(simulator.pid, dir);
    throw err;
  }
  const state = {
    prometheusUrl: prometheus.url,
    simulatorUrl: simulator.url,
    scrapeInterval,
    pids: { prometheus: prometheus.pid, simulator: simulator.pid },
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify(state, null, 2));
  log(
    `Prometheus at ${state.prometheusUrl} scraping the telemetry simulator at ${state.simulatorUrl} every ${scrapeInterval} (${((Date.now() - t0) / 1000).toFixed(1)}s)`,
  );
  return state;
}

function killOwned(pid, dir, signal = 'SIGTERM') {
  if (!ownedPid(pid, dir)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Stops the Prometheus and simulator recorded in `dir`; returns true when something ran. */
export async function stopTelemetry(dir) {
  const state = readTelemetryState(dir);
  if (!state) return false;
  const pids = Object.values(state.pids ?? {}).filter((pid) => killOwned(pid, dir));
  // Prometheus flushes its head block on SIGTERM; give it a moment before insisting.
  const deadline = Date.now() + 10_000;
  while (pids.some((pid) => ownedPid(pid, dir)) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) killOwned(pid, dir, 'SIGKILL');
  fs.rmSync(path.join(dir, STATE_FILE), { force: true });
  return pids.length > 0;
}
