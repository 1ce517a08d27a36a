import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The audit log survives a crash: the built app (node dist/main.js) takes a burst of mutations,
 * is killed with SIGKILL the moment half of them are acknowledged, and restarted on the same
 * SQLite file; every mutation a client saw a 2xx for must be in its audit log.
 */
const ROOT = join(__dirname, '..', '..');
const ADMIN = `durability-admin-${randomBytes(12).toString('hex')}`;
const KEY = randomBytes(32).toString('base64');
const BURST = 400;
const KILL_AFTER = 200;
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function start(dbFile: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'main.js'), '--mode', 'server', '--host', '127.0.0.1', '--port', `${port}`],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DATABASE_URL: `sqlite:///${dbFile}`,
        CLOUDPILOT_ADMIN_TOKEN: ADMIN,
        CLOUDPILOT_ENCRYPTION_KEY: KEY,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`app exited ${child.exitCode}: ${stderr}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no /healthz after 30 s: ${stderr}`);
}

const auth = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };

describe('the audit log across a crash', () => {
  let dir: string;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.js')))
      throw new Error('dist/main.js is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'cp-audit-crash-'));
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every mutation acknowledged with a 2xx before a kill -9', async () => {
    const dbFile = join(dir, 'cloudpilot.db');
    const first = await start(dbFile);
    const acknowledged: string[] = [];
    let killed = false;
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    // All mutations in flight at once; SIGKILL as soon as KILL_AFTER of them were answered 2xx,
    // while the rest are still being served (and their audit writes still queued).
    await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        fetch(`${first.url}/api/v1/auth/tokens`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: `burst-${i}`, role: 'viewer', expiresInDays: 1 }),
        }).then(
          (res) => {
            if (killed || res.status >= 300) return;
            acknowledged.push(res.headers.get('x-request-id')!);
            if (acknowledged.length === KILL_AFTER) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          },
          () => undefined,
        ),
      ),
    );
    await exited;
    expect(acknowledged).toHaveLength(KILL_AFTER);

    const second = await start(dbFile);
    const res = await fetch(`${second.url}/api/v1/audit?limit=500&method=POST`, { headers: auth });
    const audited = new Set(
      (
        (await res.json()) as { data: { items: Array<{ requestId: string; status: number }> } }
      ).data.items
        .filter((e) => e.status < 300)
        .map((e) => e.requestId),
    );
    expect(acknowledged.filter((id) => !audited.has(id))).toEqual([]);
    second.child.kill('SIGKILL');
  }, 120_000);
});
