import { AppError } from '../../src/common/app-error';
import { KubeClient, THROTTLE_RETRIES } from '../../src/kubernetes/kube-client';
import { ListWatch, ListWatchState } from '../../src/kubernetes/list-watch';
import { ApfThrottle } from './support/apf-throttle';
import { ADMIN_TOKEN, bearer, kubeconfigText, startServer } from './support/cloudpilot-app';
import { buildKubeConfig } from '../../src/kubernetes/kubeconfig-builder';
import { parseUntrustedKubeconfig } from '../../src/kubernetes/kubeconfig-guard';
import { createNamespace, deleteNamespace, kubectlOk } from './support/test-cluster';

jest.setTimeout(120_000);

function adminClient(): KubeClient {
  const [ctx] = parseUntrustedKubeconfig(kubeconfigText('admin'), {
    allowLoopback: true,
    allowPlainHttpLoopback: false,
    allowInsecureSkipTlsVerify: false,
  });
  return new KubeClient('admin', buildKubeConfig('admin', ctx.connection), 10_000);
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 429 + Retry-After from the real kube-apiserver (API Priority and Fairness rejecting a
 * dedicated ServiceAccount, see ApfThrottle): the adapter and ListWatch wait what the server asks
 * before trying again, within a bound, and a caller past the bound gets K8S_THROTTLED.
 */
describe('throttling by the real API server (APF 429 with Retry-After)', () => {
  const admin = adminClient();
  let namespace: string;
  let throttle: ApfThrottle;
  let configMaps: string;

  beforeAll(async () => {
    namespace = createNamespace('throttled');
    throttle = await ApfThrottle.create(admin, namespace);
    configMaps = `/api/v1/namespaces/${namespace}/configmaps`;
  });
  afterAll(async () => {
    await throttle?.delete();
    deleteNamespace(namespace);
    await admin.close();
  });
  afterEach(() => throttle.release());

  it('waits the Retry-After of a 429 and then succeeds once the server admits the request', async () => {
    const client = throttle.client();
    try {
      await throttle.hold();
      const rejectedBefore = await throttle.serverRejections();
      const started = Date.now();
      const answer = client.request<{ items: unknown[] }>({ path: configMaps });
      await until('the first 429', () => client.stats.throttled >= 1);
      await throttle.release();
      await expect(answer).resolves.toMatchObject({ items: expect.any(Array) });
      const elapsed = Date.now() - started;
      const throttled = client.stats.throttled;
      expect(throttled).toBeGreaterThanOrEqual(1);
      expect(throttled).toBeLessThanOrEqual(THROTTLE_RETRIES);
      // Every 429 was a real APF rejection of this identity's level, as the server counts them.
      expect((await throttle.serverRejections()) - rejectedBefore).toBe(throttled);
      // The server asks for at least 1 s; the adapter waited that long per 429, no more than the cap.
      expect(elapsed).toBeGreaterThanOrEqual(1000 * throttled);
      expect(elapsed).toBeLessThan(10_000 * throttled + 5_000);
    } finally {
      await client.close();
    }
  });

  it('gives up after its retries with K8S_THROTTLED and the server’s Retry-After', async () => {
    const client = throttle.client();
    try {
      await throttle.hold();
      const rejectedBefore = await throttle.serverRejections();
      const started = Date.now();
      const error = await client.request({ path: configMaps }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: 'K8S_THROTTLED',
        status: 429,
        details: { retryAfterSeconds: expect.any(Number) },
      });
      // The first answer and each retry were refused by the server: bounded, not endless.
      expect(client.stats.throttled).toBe(THROTTLE_RETRIES + 1);
      expect((await throttle.serverRejections()) - rejectedBefore).toBe(THROTTLE_RETRIES + 1);
      expect(elapsed).toBeGreaterThanOrEqual(1000 * THROTTLE_RETRIES);
      expect(elapsed).toBeLessThan(30_000);
    } finally {
      await client.close();
    }
  });

  it('ListWatch honours Retry-After instead of its much shorter backoff, then syncs', async () => {
    const client = throttle.client();
    const states: Array<[ListWatchState, string | undefined]> = [];
    const watch = new ListWatch(
      client,
      { path: configMaps, backoff: { initialMs: 50, maxMs: 100 } },
      { onStateChange: (state, error) => states.push([state, error?.code]) },
    );
    try {
      await throttle.hold();
      watch.start();
      await until('the first 429', () => client.stats.throttled >= 1);
      // 3.5 s throttled: a 50–100 ms backoff alone would retry ~40 times, Retry-After (≥ 1 s) ≤ 5.
      await sleep(3_500);
      const throttled = client.stats.throttled;
      expect(watch.state).toBe('error');
      expect(watch.lastError).toMatchObject({ code: 'K8S_THROTTLED' });
      await throttle.release();
      await until('synced', () => watch.state === 'synced');
      expect(throttled).toBeGreaterThanOrEqual(2);
      expect(throttled).toBeLessThanOrEqual(5);
      expect(states).toEqual([
        ['syncing', undefined],
        ['error', 'K8S_THROTTLED'],
        ['synced', undefined],
      ]);
      const names = watch
        .values()
        .map((o) => String(o.metadata?.name))
        .sort();
      const expected = kubectlOk('admin', [
        ...['get', 'configmaps', '-n', namespace],
        ...['-o', 'jsonpath={.items[*].metadata.name}'],
      ])
        .split(' ')
        .filter(Boolean)
        .sort();
      expect(names).toEqual(expected);
    } finally {
      await watch.stop();
      await client.close();
    }
  });

  it('answers a caller K8S_THROTTLED (429, Retry-After) in the envelope when the bound is exceeded', async () => {
    const app = await startServer();
    try {
      const created = await app
        .http()
        .post('/api/v1/clusters')
        .set(bearer(ADMIN_TOKEN))
        .send({ name: 'throttled', kubeconfig: throttle.kubeconfigText() });
      expect(created.status).toBe(201);
      const id = String(created.body.data.id);
      await throttle.hold();
      const rejectedBefore = await throttle.serverRejections();
      const res = await app
        .http()
        .get(`/api/v1/clusters/${id}/resources/configmaps`)
        .query({ namespace })
        .set(bearer(ADMIN_TOKEN));
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({
        success: false,
        code: 'K8S_THROTTLED',
        data: null,
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(Number(res.headers['retry-after'])).toBe(res.body.details.retryAfterSeconds);
      // The app retried as the adapter does before answering: the server refused every attempt.
      expect((await throttle.serverRejections()) - rejectedBefore).toBe(THROTTLE_RETRIES + 1);
    } finally {
      await app.close();
    }
  });
});
