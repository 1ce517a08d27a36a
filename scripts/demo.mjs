// `npm run demo`: the whole product on one machine in one command. Starts (or reuses) the `dev`
// test cluster, seeds the sample workloads, starts CloudPilot in server mode on SQLite in
// .cloudpilot/demo/, registers the cluster and prints the Swagger URL and an admin token, and
// the health of the storefront's payments Service, read from the cluster's Prometheus.
// Ctrl-C stops CloudPilot, and the cluster too if this run started it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCluster, kubeconfigPath, repoRoot, stopCluster } from './cluster/lib.mjs';
import { seedCluster } from './cluster/seed.mjs';
import { applyStorefront, telemetryLines } from './demo/telemetry.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    'keep-cluster': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const demoDir = path.join(repoRoot, '.cloudpilot', 'demo');
const log = (m) => process.stderr.write(`[demo] ${m}\n`);

function portFree(p) {
  return new Promise((resolve) => {
    const server = net
      .createServer()
      .once('error', () => resolve(false))
      .listen(p, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The demo's admin token survives restarts of the demo, so a saved Swagger authorisation keeps working. */
function adminToken() {
  const file = path.join(demoDir, 'admin-token');
  if (!fs.existsSync(file))
    fs.writeFileSync(file, `cpdemo-${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

async function api(method, route, token, body) {
  const res = await fetch(`http://127.0.0.1:${port}${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

async function waitReady(child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`CloudPilot exited with code ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('CloudPilot did not become ready within 60 s');
}

/** The cluster's health score and the three findings that cost it most, from the diagnostics routes. */
async function healthLines(token) {
  const health = await api('GET', '/api/v1/clusters/dev/health', token);
  if (health.status !== 200) return [`  Health:       ${health.body.code}: ${health.body.message}`];
  const { score, counts, deductions } = health.body.data.cluster;
  const lines = [
    `  Health:       ${score}/100 (${counts.critical} critical, ${counts.warning} warning, ${counts.info} info findings)`,
  ];
  for (const d of deductions.slice(0, 3)) {
    const found = await api('GET', `/api/v1/clusters/dev/diagnostics/${d.findingId}`, token);
    const where = `${d.object.kind} ${d.object.namespace ? `${d.object.namespace}/` : ''}${d.object.name}`;
    const message = found.body.data?.message ?? '';
    lines.push(`    -${d.points} ${d.severity} ${d.code} on ${where}: ${message}`);
  }
  lines.push(
    `  Findings:     GET /api/v1/clusters/dev/diagnostics (and …/diagnostics/{id} for evidence)`,
  );
  return lines;
}

/** One line on the assistant: a session ready to be asked, or why it is off and how to turn it on. */
async function assistantLines(token) {
  const session = await api('POST', '/api/v1/llm/sessions', token, { clusterId: 'dev' });
  if (session.status === 201)
    return [
      `  Assistant:    on; ask it: POST /api/v1/llm/sessions/${session.body.data.id}/messages {"content":"why is checkout failing?"}`,
    ];
  return [
    `  Assistant:    off (${session.body.message}); see docs/llm.md, e.g. LLM_PROVIDER=ollama LLM_MODEL=qwen2.5:7b npm run demo`,
  ];
}

async function main() {
  if (!(await portFree(port)))
    throw new Error(`port ${port} is in use: run npm run demo -- --port <free port>`);
  fs.mkdirSync(demoDir, { recursive: true });
  const cluster = await ensureCluster({ name: 'dev', log });
  await seedCluster('dev');
  applyStorefront('dev');
  const token = adminToken();
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'dist', 'main.js'),
      '--mode',
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', fs.openSync(path.join(demoDir, 'cloudpilot.log'), 'a'), 'inherit'],
      env: {
        ...process.env,
        DATABASE_URL: `sqlite:///${path.join(demoDir, 'cloudpilot.db')}`,
        CLOUDPILOT_ENCRYPTION_KEY_FILE: path.join(demoDir, 'cloudpilot.key'),
        CLOUDPILOT_ADMIN_TOKEN: token,
        // The demo cluster listens on 127.0.0.1; loopback clusters are refused unless allowed.
        CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
        // …and so is the cluster's Prometheus, which listens on plain http on 127.0.0.1.
        CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK: 'true',
      },
    },
  );
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping CloudPilot…');
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    if (cluster.started && !values['keep-cluster']) await stopCluster('dev', { log });
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  await waitReady(child);
  const existing = await api('GET', '/api/v1/clusters/dev', token);
  if (existing.status === 404) {
    const created = await api('POST', '/api/v1/clusters', token, {
      name: 'dev',
      displayName: 'Demo cluster (KWOK)',
      kubeconfig: fs.readFileSync(kubeconfigPath('dev', 'admin'), 'utf8'),
    });
    if (created.status !== 201)
      throw new Error(`registering the demo cluster failed: ${JSON.stringify(created.body)}`);
  }
  const test = await api('POST', '/api/v1/clusters/dev/test', token);
  const overview = (await api('GET', '/api/v1/clusters/dev/overview', token)).body.data;
  const summary = overview
    ? `${overview.nodes.ready}/${overview.nodes.total} nodes ready, ${overview.pods.total} pods (${overview.pods.running} running, ${overview.pods.pending} pending, ${overview.pods.failed} failed), CPU requests ${overview.cpu.requests} of ${overview.cpu.allocatable} cores`
    : 'not available yet';
  process.stdout.write(
    [
      '',
      'CloudPilot demo is running.',
      `  Swagger UI:   http://127.0.0.1:${port}/docs   (Authorize → paste the token)`,
      `  Admin token:  ${token}`,
      `  Cluster:      dev — ${test.body.data?.kubernetesVersion ?? test.body.code}`,
      `  Overview:     ${summary}`,
      ...(await healthLines(token)),
      ...(await telemetryLines(api, token, cluster.prometheusUrl)),
      ...(await assistantLines(token)),
      `  Try:          curl -H "Authorization: Bearer ${token}" http://127.0.0.1:${port}/api/v1/clusters/dev/overview`,
      `  Logs:         ${path.join(demoDir, 'cloudpilot.log')}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  child.once('exit', (code) => {
    log(`CloudPilot exited (${code})`);
    stop(code ?? 1);
  });
}

main().catch((error) => {
  log(error.message);
  process.exit(1);
});
