import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, kubeconfigText, newEncryptionKey } from './support/cloudpilot-app';
import { ReplicaProcess, startReplica } from './support/replica-process';
import { SignedReceiver } from './support/signed-receiver';
import { kubectl, testCluster } from './support/test-cluster';

// Two CloudPilot starts, 1,000 Service changes and a receiver that is down most of the time.
jest.setTimeout(480_000);

const NAMESPACE = 'cp-outbox-burst';
const SERVICES = 500;
const SECRET = 'burst-receiver-signing-key-0123456789';

async function call(r: ReplicaProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${r.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** kubectl as a child this test does not wait for: the burst goes on while CloudPilot dies. */
function kubectlAsync(args: string[], input?: string): Promise<number> {
  const child = spawn(
    process.env.CLOUDPILOT_TEST_KUBECTL!,
    ['--kubeconfig', testCluster.kubeconfigPath('admin'), ...args],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
}

/** Headless Services whose selectors match no pod: each one is a SERVICE_NO_MATCHING_PODS finding. */
function services(): string {
  const items = Array.from({ length: SERVICES }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `ghost-${i}`, namespace: NAMESPACE },
    spec: { clusterIP: 'None', selector: { app: `ghost-${i}` }, ports: [{ port: 80 }] },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

describe('the outbox across a kill -9, with the receiver down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-outbox-'));
  const env: Record<string, string> = {
    DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}`,
    CLOUDPILOT_ADMIN_TOKEN: ADMIN_TOKEN,
    CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey(),
    CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
    CLOUDPILOT_NOTIFICATIONS_ALLOW_LOOPBACK_TARGETS: 'true',
    CLOUDPILOT_NOTIFICATIONS_SCAN_SECONDS: '1',
    CLOUDPILOT_NOTIFICATIONS_RETRY_BASE_SECONDS: '1',
    CLOUDPILOT_NOTIFICATIONS_RETRY_MAX_SECONDS: '2',
    CLOUDPILOT_NOTIFICATIONS_MAX_ATTEMPTS: '100',
    CLOUDPILOT_NOTIFICATIONS_TIMEOUT_SECONDS: '5',
  };
  let app: ReplicaProcess | undefined;
  let receiver: SignedReceiver;
  let routeId: string;

  const committed = async (target: ReplicaProcess) =>
    (await call(target, 'GET', `/api/v1/notifications/deliveries?routeId=${routeId}&limit=1`)).body
      .data.total as number;

  beforeAll(async () => {
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true']);
    expect(kubectl('admin', ['create', 'namespace', NAMESPACE]).status).toBe(0);
    receiver = new SignedReceiver(SECRET, await SignedReceiver.reservePort());
    app = await startReplica('cp1', env);
    const cluster = await call(app, 'POST', '/api/v1/clusters', {
      name: 'outbox',
      kubeconfig: kubeconfigText('admin'),
    });
    expect(cluster.status).toBe(201);
    const route = await call(app, 'POST', '/api/v1/notifications/routes', {
      name: 'burst',
      target: { type: 'webhook', url: receiver.url, secret: SECRET },
      match: { namespaces: [NAMESPACE], codes: ['SERVICE_NO_MATCHING_PODS'] },
    });
    expect(route.status).toBe(201);
    routeId = route.body.data.id;
  });

  afterAll(async () => {
    await app?.stop();
    await receiver?.down();
    kubectl('admin', ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each of 1,000 finding changes, in order per finding, after a kill -9 mid-burst', async () => {
    const created = kubectlAsync(['create', '-f', '-'], services());
    // Killed once some, not all, of the opened findings are committed.
    const atKill = await until('the first changes committed', 120_000, async () => {
      const n = await committed(app!);
      return n >= 50 ? n : undefined;
    });
    await app!.kill9();
    process.stderr.write(`killed with ${atKill} of ${SERVICES} opened findings committed\n`);
    expect(atKill).toBeLessThan(SERVICES);
    app = await startReplica('cp1-again', env);
    expect(await created).toBe(0);
    await until(`${SERVICES} opened committed`, 120_000, async () =>
      (await committed(app!)) === SERVICES ? true : undefined,
    );
    expect(await kubectlAsync(['delete', 'services', '--all', '-n', NAMESPACE])).toBe(0);
    await until(`${2 * SERVICES} changes committed`, 120_000, async () =>
      (await committed(app!)) === 2 * SERVICES ? true : undefined,
    );
    // Nothing reached the receiver while it was down: all of it waits in the database.
    expect(receiver.requests).toBe(0);
    await receiver.up();
    await until('every event at the receiver', 120_000, async () =>
      receiver.distinctIds.size >= 2 * SERVICES ? true : undefined,
    );
    expect(receiver.distinctIds.size).toBe(2 * SERVICES);
    expect(receiver.refused).toEqual({});
    // Per finding: opened (#0) strictly before resolved (#1), as received.
    const bySubject = new Map<string, string[]>();
    for (const e of receiver.events)
      bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e.type]);
    expect(bySubject.size).toBe(SERVICES);
    for (const types of bySubject.values())
      expect([...new Set(types)]).toEqual(['finding.opened', 'finding.resolved']);
    const outbox = await call(
      app!,
      'GET',
      `/api/v1/notifications/deliveries?routeId=${routeId}&status=delivered&limit=1`,
    );
    expect(outbox.body.data.total).toBe(2 * SERVICES);
  });

  it("refuses a replayed request and an altered body at the test's receiver", async () => {
    const [taken] = receiver.accepted;
    const send = (body: string) =>
      fetch(receiver.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-CloudPilot-Signature': taken.headers['x-cloudpilot-signature'],
        },
        body,
      }).then((r) => r.status);
    await expect(send(taken.body)).resolves.toBe(409);
    await expect(send(taken.body.replace('finding.', 'findinG.'))).resolves.toBe(401);
    expect(receiver.refused).toEqual({ replay: 1, mismatch: 1 });
  });
});
