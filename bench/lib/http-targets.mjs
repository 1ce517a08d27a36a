// The processes bench/http-load.mjs measures: the app (dist/main.js of a checkout, instant mode,
// the bench cluster's admin kubeconfig) and the bare node:http floor; their CPU and RSS from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { kubeconfigPath, repoRoot, sleep } from './kube.mjs';

/** Starts dist/main.js of `appDir` and waits for /readyz (up to 600 s: a 100k-pod first sync). */
export async function startApp({ appDir, port, nodeArgs, token, loopProbe, log }) {
  const args = nodeArgs.split(' ').filter(Boolean);
  if (loopProbe)
    args.unshift('--import', pathToFileURL(join(repoRoot, 'bench/lib/loop-probe.mjs')).href);
  const child = spawn(
    process.execPath,
    [...args, 'dist/main.js', '--mode', 'instant', '--port', port],
    {
      cwd: appDir,
      env: {
        ...process.env,
        KUBECONFIG: kubeconfigPath(),
        CLOUDPILOT_ADMIN_TOKEN: token,
        // The app's own default unless LOG_LEVEL says otherwise: at info every request writes its
        // access-log line, as a deployed app does (LOG_LEVEL=warn measures without it).
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
        ...(loopProbe ? { LOOP_PROBE_OUT: loopProbe } : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const started = performance.now();
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    if (performance.now() - started > 600_000) throw new Error('app not ready within 600 s');
    await sleep(100);
  }
  log(`app (${appDir}) ready in ${Math.round(performance.now() - started)} ms (pid ${child.pid})`);
  return { child, pid: child.pid, url: `http://127.0.0.1:${port}/api/v1/clusters/local/overview` };
}

/** The floor server (bench/lib/http-floor-server.mjs) answering `bodyFile` on `port`. */
export async function startFloor({ port, bodyFile, token, log }) {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bench/lib/http-floor-server.mjs'), port, bodyFile, token],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
  });
  log(`floor server ready (pid ${child.pid})`);
  return { child, pid: child.pid, url: `http://127.0.0.1:${port}/api/v1/clusters/local/overview` };
}

export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** User + system CPU of a process so far (ms), from /proc (clock ticks of 10 ms). */
export function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function rssMiBOf(pid) {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return Math.round((kib / 1024) * 10) / 10;
}
