import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The container's start path without a Docker engine (docker/Dockerfile): the repository as the
 * build context sends it, production dependencies only (`npm ci --omit=dev`), the built dist/,
 * `node dist/main.js` as a non-root user, data only under a data directory.
 */
const ROOT = join(__dirname, '..', '..');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
// The image's own Node is 24.18.1; here the pinned dev dependency is that Node.
const NODE = process.execPath;
let app: string;
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `node dist/main.js` as the image's CMD (loopback instead of 0.0.0.0), as nobody when we are root. */
function startProduction(
  dataDir: string,
  port: number,
): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const args = [
    join(app, 'dist', 'main.js'),
    '--mode',
    'instant',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
  ];
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    NODE_OPTIONS: '--max-semi-space-size=16',
    MALLOC_ARENA_MAX: '2',
    DATABASE_URL: `sqlite:///${join(dataDir, 'cloudpilot.db')}`,
    CLOUDPILOT_ENCRYPTION_KEY_FILE: join(dataDir, 'cloudpilot.key'),
    // Instant mode needs a cluster source; nothing is contacted at start-up.
    K8S_API_SERVER: 'https://127.0.0.1:9',
    K8S_TOKEN: 'production-start-test',
  };
  const [cmd, cmdArgs] = asRoot ? ['runuser', ['-u', 'nobody', '--', NODE, ...args]] : [NODE, args];
  const child = spawn(cmd as string, cmdArgs as string[], { cwd: app, env, detached: true });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr()}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no /healthz after 30 s: ${stderr()}`);
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

afterAll(() => {
  children.forEach(stop);
  if (app) rmSync(app, { recursive: true, force: true });
});

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'main.js')))
    throw new Error('dist/main.js is missing: `npm test` builds it first (npm run build)');
  app = mkdtempSync(join(tmpdir(), 'cp-prod-'));
  chmodSync(app, 0o755);
  // What a build context holds: tracked and new, not ignored, files of the working tree.
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout.split('\0');
  for (const file of files.filter((f) => f && existsSync(join(ROOT, f))))
    cpSync(join(ROOT, file), join(app, file));
  cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
  const install = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: app,
    encoding: 'utf8',
    // Compiling better-sqlite3 takes minutes on a busy 2-core machine.
    timeout: 420_000,
    env: {
      ...process.env,
      PATH: `${dirname(NODE)}:${process.env.PATH}`,
      // Offline stand-in for the headers node-gyp downloads in the image's build stage.
      npm_config_nodedir: join(
        ROOT,
        'node_modules',
        'node',
        'node_modules',
        `node-${process.platform}-${process.arch}`,
      ),
    },
  });
  if (install.status !== 0)
    throw new Error(`npm ci --omit=dev failed (${install.status}): ${install.stderr}`);
  chmodSync(app, 0o755);
}, 450_000);

describe('the production start path (docker/Dockerfile without Docker)', () => {
  it('installs production dependencies only, with better-sqlite3 built', () => {
    expect(
      existsSync(
        join(app, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
      ),
    ).toBe(true);
    for (const dev of ['node', 'jest', 'eslint', '@nestjs/cli'])
      expect(existsSync(join(app, 'node_modules', dev))).toBe(false);
  });

  it('serves /healthz and /readyz as a non-root user writing only its data directory', async () => {
    const data = join(app, 'data');
    mkdirSync(data, { mode: 0o700 });
    if (asRoot) chownSync(data, NOBODY, NOBODY);
    const port = await freePort();
    const running = startProduction(data, port);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, running.child, running.stderr);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // Ready follows alive by the start-up work (migrations, the first ticks): a probe waits.
    let ready = 0;
    for (let i = 0; i < 300 && ready !== 200; i++) {
      ready = (await fetch(`${url}/readyz`)).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    expect(existsSync(join(data, 'cloudpilot.db'))).toBe(true);
    running.child.kill('SIGTERM');
    stop(running.child);
  }, 60_000);

  it('refuses a read-only data directory with one clear line and exit code 2', async () => {
    const data = join(app, 'data-ro');
    mkdirSync(data);
    chmodSync(data, 0o555);
    const running = startProduction(data, await freePort());
    await expect(running.exit).resolves.toBe(2);
    expect(running.stderr()).toMatch(
      new RegExp(`^CloudPilot cannot start: .*${data}.* not writable \\(EACCES\\)`),
    );
    expect(running.stderr()).not.toMatch(/^\s+at /m);
  }, 60_000);
});
