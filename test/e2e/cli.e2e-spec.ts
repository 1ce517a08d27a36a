import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** These tests run the built service exactly as `npm start` and the container do: `node dist/main.js`. */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: 30_000,
  });
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  url: string;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
// A failed assertion must not leave a server running (it would keep Jest alive).
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

async function start(dir: string, extraEnv: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN, '--mode', 'server', '--port', String(port)], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}`,
      CLOUDPILOT_ENCRYPTION_KEY_FILE: join(dir, 'cloudpilot.key'),
      ...extraEnv,
    },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`exited early: ${err}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, stdout: () => out, stderr: () => err, url, exit };
}

beforeAll(() => {
  if (!existsSync(MAIN))
    throw new Error('dist/main.js is missing: `npm test` builds it first (npm run build)');
});

describe('the command line', () => {
  it('runs on Node 24', () => {
    expect(process.version).toMatch(/^v24\./);
  });

  it('prints every flag with --help', () => {
    const res = run(['--help']);
    expect(res.status).toBe(0);
    for (const flag of ['--mode', '--host', '--port', '--config', '--auth', '--log-level'])
      expect(res.stdout).toContain(flag);
  });

  it('exits 2 naming the key for --port abc, without a stack trace', () => {
    const res = run(['--port', 'abc']);
    expect(res.status).toBe(2);
    expect(res.stderr.trim()).toBe(
      'config error: server.port (--port): must be an integer between 1 and 65535, got "abc"',
    );
  });

  it('exits 2 naming an unknown YAML key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-cli-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'server:\n  prot: 8000\n');
    const res = run(['--config', file]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('config error: server.prot');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a start-up error found while the app is built as one stderr line, no stack in the log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-cli-'));
    writeFileSync(join(dir, 'file'), '');
    // The database directory is checked inside Nest's module loading (the TypeORM factory).
    const res = run(['--mode', 'server', '--port', '1'], {
      DATABASE_URL: `sqlite:///${join(dir, 'file', 'sub', 'cloudpilot.db')}`,
      CLOUDPILOT_ADMIN_TOKEN: 'cli-startup-admin-token-0123456789abcdef',
      CLOUDPILOT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    rmSync(dir, { recursive: true, force: true });
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^CloudPilot cannot start: the SQLite directory .* is not writable/),
    ]);
    const errors = res.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.level === 'error');
    expect(errors.length).toBeLessThanOrEqual(1);
    expect(JSON.stringify(errors)).not.toMatch(/stack|\s+at /);
  });
});

describe('a server started on an empty data directory', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cp-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a generated admin token once, never logs it, and stops cleanly on SIGTERM', async () => {
    const first = await start(dir);
    const token = /^(cpt_\S+)$/m.exec(first.stderr())?.[1];
    expect(token).toBeDefined();
    const info = await fetch(`${first.url}/api/v1/system/info`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': 'cli-1' },
    });
    expect(info.status).toBe(200);
    const docs = await fetch(`${first.url}/docs-json`).then((r) => r.json());
    expect(docs).toEqual(JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')));
    first.child.kill('SIGTERM');
    await expect(first.exit).resolves.toBe(0);

    const lines = first.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((l) => JSON.parse(l)).some((l) => l.requestId === 'cli-1')).toBe(true);
    expect(first.stdout()).not.toContain(token);
    expect(first.stdout()).toContain('shutdown complete');

    const second = await start(dir);
    expect(second.stderr()).not.toContain('cpt_');
    second.child.kill('SIGTERM');
    await expect(second.exit).resolves.toBe(0);
  }, 60_000);
});
