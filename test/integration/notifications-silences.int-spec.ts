import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { hygienicPodSpec } from './support/hygienic-pod';
import { SignedReceiver } from './support/signed-receiver';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

jest.setTimeout(180_000);

// The outbox scan skips a cluster whose findings did not change since it last committed. A silence
// changes no finding, only its marker: this suite holds that a silence and its expiry still reach
// the targets, and that the scans in between send nothing.
const CLUSTER = 'notsil';
let dir: string;
let app: TestApp;
let ns: string;
let receiver: SignedReceiver;

const crasher = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'crasher',
    namespace: ns,
    labels: { 'cloudpilot.dev/fault': 'CrashLoopBackOff' },
  },
  spec: hygienicPodSpec(),
});

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline)
      throw new Error(`not reached within ${ms} ms: ${what}: ${JSON.stringify(receiver.events)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The route matches this namespace, whose only finding is the crash loop. */
const crashEvents = () => receiver.events.map((e) => e.type);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cloudpilot-notsil-'));
  receiver = new SignedReceiver(undefined, await SignedReceiver.reservePort());
  await receiver.up();
  app = await startServer({
    DATABASE_URL: `sqlite:///${join(dir, 'cloudpilot.db')}`,
    CLOUDPILOT_NOTIFICATIONS_ALLOW_LOOPBACK_TARGETS: 'true',
    CLOUDPILOT_NOTIFICATIONS_SCAN_SECONDS: '1',
  });
  await register(app, CLUSTER);
  ns = createNamespace('notsil');
  const route = await app
    .http()
    .post('/api/v1/notifications/routes')
    .set(bearer(ADMIN_TOKEN))
    .send({
      name: 'notsil',
      target: { type: 'webhook', url: receiver.url },
      match: { namespaces: [ns] },
    });
  expect(route.status).toBe(201);
});

afterAll(async () => {
  deleteNamespace(ns);
  await app?.close();
  await receiver?.down();
  rmSync(dir, { recursive: true, force: true });
});

it('tells a silence as resolved and its expiry as opened again, and nothing between', async () => {
  kubectlOk('admin', ['apply', '-f', '-'], { input: JSON.stringify(crasher()) });
  // Set-up, not the property under test: kwok's stages must restart the pod into a crash loop
  // first, which took over 30 s once in a loaded clean-clone run (15 s alone).
  await until('the crash loop opened', () => crashEvents().length === 1, 90_000);
  expect(crashEvents()).toEqual(['finding.opened']);

  const silenced = await app
    .http()
    .post(`/api/v1/clusters/${CLUSTER}/diagnostics/silences`)
    .set(bearer(ADMIN_TOKEN))
    .send({
      matchers: { code: 'POD_CRASH_LOOP', namespace: ns },
      expiresAt: new Date(Date.now() + 6_000).toISOString(),
      comment: 'known',
    });
  expect(silenced.status).toBe(201);
  await until('the silence told', () => crashEvents().length === 2, 10_000);
  expect(crashEvents()).toEqual(['finding.opened', 'finding.resolved']);

  // No change in the cluster: the expiry alone brings it back, told once.
  await until('the expiry told', () => crashEvents().length === 3, 15_000);
  await new Promise((r) => setTimeout(r, 3_000));
  expect(crashEvents()).toEqual(['finding.opened', 'finding.resolved', 'finding.opened']);
});
