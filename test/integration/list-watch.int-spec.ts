import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../src/common/app-error';
import { KubeClient } from '../../src/kubernetes/kube-client';
import { buildKubeConfig } from '../../src/kubernetes/kubeconfig-builder';
import { parseUntrustedKubeconfig } from '../../src/kubernetes/kubeconfig-guard';
import { K8sRequest, KubeClient as AdapterClient } from '../../src/kubernetes/kube-client';
import {
  ListWatch,
  ListWatchHandlers,
  ListWatchOptions,
  ListWatchState,
} from '../../src/kubernetes/list-watch';
import { compactEtcd, etcdUrlOf } from './support/control-plane';
import { kubeconfigText } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk, testCluster } from './support/test-cluster';

jest.setTimeout(120_000);

const run = promisify(execFile);

function client(role: 'admin' | 'viewer' = 'admin'): KubeClient {
  const [ctx] = parseUntrustedKubeconfig(kubeconfigText(role), {
    allowLoopback: true,
    allowPlainHttpLoopback: false,
    allowInsecureSkipTlsVerify: false,
  });
  return new KubeClient('dev', buildKubeConfig('dev', ctx.connection), 10_000);
}

/** Polls every 10 ms so measured delays are not rounded up by the poll. */
async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Names in a namespace, read independently with kubectl and the admin kubeconfig. */
function kubectlNames(kind: string, namespace: string): string[] {
  return kubectlOk('admin', [
    'get',
    kind,
    '-n',
    namespace,
    '-o',
    'jsonpath={.items[*].metadata.name}',
  ])
    .split(' ')
    .filter(Boolean)
    .sort();
}

/** Creates ConfigMaps fast: one multi-document file per kubectl process, the processes in parallel. */
async function createConfigMaps(namespace: string, count: number, processes = 4): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'list-watch-'));
  try {
    const files = Array.from({ length: processes }, (_, p) => {
      const docs = [];
      for (let i = p; i < count; i += processes)
        docs.push(
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${String(i).padStart(4, '0')}\n  namespace: ${namespace}\ndata:\n  i: "${i}"\n`,
        );
      const file = join(dir, `part-${p}.yaml`);
      writeFileSync(file, docs.join('---\n'));
      return file;
    });
    const kubectl = process.env.CLOUDPILOT_TEST_KUBECTL!;
    await Promise.all(
      files.map((file) =>
        run(kubectl, ['--kubeconfig', testCluster.kubeconfigPath('admin'), 'create', '-f', file], {
          maxBuffer: 16 * 1024 * 1024,
        }),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Records the timers that src/kubernetes creates and that have neither fired nor been cleared
 * (Node's own resource counters do not say whose a timer is).
 */
function trackAdapterTimers() {
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  const pending = new Map<unknown, string>();
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    // The direct caller only: timers undici creates while serving the adapter are undici's to manage.
    const caller = new Error().stack?.split('\n')[2] ?? '';
    const site = caller.includes('src/kubernetes/') ? caller : undefined;
    const handle: unknown = realSet(
      (...a: unknown[]) => {
        pending.delete(handle);
        fn(...a);
      },
      ms,
      ...args,
    );
    if (site) pending.set(handle, `${site.trim()} (${ms} ms)`);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle?: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(handle);
    realClear(handle);
  }) as typeof clearTimeout;
  return Object.assign(pending, {
    restore: () => {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  });
}

describe('ListWatch against the real API server', () => {
  const admin = client();
  const namespaces: string[] = [];
  const watchers: ListWatch<any>[] = [];

  /** Starts a watcher that is stopped in afterAll whatever happens, and records its states. */
  function watch<T = Record<string, any>>(
    options: ListWatchOptions<T>,
    handlers: ListWatchHandlers<T> = {},
    kube = admin,
  ) {
    const states: ListWatchState[] = [];
    const errors: AppError[] = [];
    const lw = new ListWatch<T>(kube, options, {
      ...handlers,
      onStateChange: (state, error) => {
        states.push(state);
        if (error) errors.push(error);
        handlers.onStateChange?.(state, error);
      },
    });
    watchers.push(lw);
    lw.start();
    return { lw, states, errors };
  }

  function namespace(prefix: string): string {
    const name = createNamespace(prefix);
    namespaces.push(name);
    return name;
  }

  afterAll(async () => {
    await Promise.all(watchers.map((w) => w.stop()));
    for (const name of namespaces) deleteNamespace(name);
  });

  it('pages through 1,200 ConfigMaps with limit=500 and adds each exactly once', async () => {
    const ns = namespace('lw-page');
    await createConfigMaps(ns, 1200);
    const adds = new Map<string, number>();
    let synced = 0;
    const { lw } = watch<{ name: string }>(
      {
        path: `/api/v1/namespaces/${ns}/configmaps`,
        streamingList: false,
        transform: (o) => ({ name: o.metadata.name as string }),
      },
      {
        onAdd: (r) => adds.set(r.name, (adds.get(r.name) ?? 0) + 1),
        onSynced: () => (synced += 1),
      },
    );
    await until('the first sync', () => (synced > 0 ? true : undefined));
    const expected = kubectlNames('configmaps', ns);
    expect(expected.length).toBe(1201); // the 1,200 plus kube-root-ca.crt
    expect([...adds.keys()].sort()).toEqual(expected);
    expect([...adds.values()].every((n) => n === 1)).toBe(true);
    expect(lw.stats).toMatchObject({ lists: 1, streamedLists: 0, pages: 3 });
    expect(lw.values()[0]).toEqual({ name: expect.any(String) });
  });

  it('streams the initial list (sendInitialEvents) on one watch, adds each object once, then follows changes on it', async () => {
    const ns = namespace('lw-stream');
    await createConfigMaps(ns, 600);
    const adds = new Map<string, number>();
    let synced = 0;
    const { lw } = watch<{ name: string }>(
      {
        path: `/api/v1/namespaces/${ns}/configmaps`,
        transform: (o) => ({ name: o.metadata.name as string }),
      },
      {
        onAdd: (r) => adds.set(r.name, (adds.get(r.name) ?? 0) + 1),
        onSynced: () => (synced += 1),
      },
    );
    await until('the streamed sync', () => (synced > 0 ? true : undefined));
    const expected = kubectlNames('configmaps', ns);
    expect([...adds.keys()].sort()).toEqual(expected);
    expect([...adds.values()].every((n) => n === 1)).toBe(true);
    // No LIST page at all: the whole collection came as watch events, on the watch that stays open.
    expect(lw.stats).toMatchObject({ lists: 1, streamedLists: 1, pages: 0, watches: 1 });
    kubectlOk('admin', ['delete', 'configmap', 'cm-0005', '-n', ns]);
    kubectlOk('admin', ['create', 'configmap', 'after-sync', '-n', ns]);
    await until('both changes', () =>
      adds.has('after-sync') && !lw.get(`${ns}/cm-0005`) ? true : undefined,
    );
    expect(
      lw
        .values()
        .map((r) => r.name)
        .sort(),
    ).toEqual(kubectlNames('configmaps', ns));
    expect(lw.stats).toMatchObject({ lists: 1, watches: 1 });
  });

  it('streams the initial list in metadata-only mode too', async () => {
    const ns = namespace('lw-stream-meta');
    await createConfigMaps(ns, 20);
    const { lw } = watch({ path: `/api/v1/namespaces/${ns}/configmaps`, metadataOnly: true });
    await until('synced', () => (lw.state === 'synced' ? true : undefined));
    expect(lw.stats).toMatchObject({ streamedLists: 1, pages: 0 });
    expect(lw.size).toBe(21);
    expect(lw.values().every((o) => o.kind === 'PartialObjectMetadata' && !('data' in o))).toBe(
      true,
    );
  });

  it('never downloads Secret data in metadata-only mode, in the list or in watch events', async () => {
    const ns = namespace('lw-meta');
    const secret = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      stringData: { password: 'hunter2' },
    });
    await admin.request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/secrets`,
      body: secret('listed'),
    });
    const { lw } = watch({ path: `/api/v1/namespaces/${ns}/secrets`, metadataOnly: true });
    await until('synced', () => (lw.state === 'synced' ? true : undefined));
    await admin.request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/secrets`,
      body: secret('watched'),
    });
    await until('the watched secret', () =>
      lw.values().some((o) => o.metadata.name === 'watched') ? true : undefined,
    );
    const objects = lw.values();
    expect(objects.map((o) => o.metadata.name).sort()).toEqual(['listed', 'watched']);
    for (const o of objects) {
      expect(o.kind).toBe('PartialObjectMetadata');
      expect(o).not.toHaveProperty('data');
      expect(JSON.stringify(o)).not.toContain(Buffer.from('hunter2').toString('base64'));
    }
  });

  it('reports a pod created, changed and deleted within 1 s each', async () => {
    const ns = namespace('lw-pods');
    const seen: string[] = [];
    const { lw } = watch(
      { path: `/api/v1/namespaces/${ns}/pods` },
      {
        onAdd: (p) => seen.push(`add ${p.metadata.name}`),
        onUpdate: (p) => seen.push(`update ${p.metadata.name} ${p.metadata.labels?.step ?? ''}`),
        onDelete: (p) => seen.push(`delete ${p.metadata.name}`),
      },
    );
    await until('synced', () => (lw.state === 'synced' ? true : undefined));
    // Measured from before the request, so the delay is an upper bound including the API call.
    const delay = async (what: string, action: () => Promise<unknown>) => {
      const started = Date.now();
      await action();
      await until(what, () => (seen.includes(what) ? true : undefined), 5_000);
      return Date.now() - started;
    };
    const pods = `/api/v1/namespaces/${ns}/pods`;
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
    };
    const delays = {
      create: await delay('add p', () => admin.request({ method: 'POST', path: pods, body })),
      update: await delay('update p two', () =>
        admin.request({
          method: 'PATCH',
          path: `${pods}/p`,
          contentType: 'application/merge-patch+json',
          body: { metadata: { labels: { step: 'two' } } },
        }),
      ),
      delete: await delay('delete p', () =>
        admin.request({ method: 'DELETE', path: `${pods}/p`, query: { gracePeriodSeconds: 0 } }),
      ),
    };
    process.stdout.write(`list-watch event delays (ms): ${JSON.stringify(delays)}\n`);
    expect(Math.max(...Object.values(delays))).toBeLessThan(1000);
  });

  /**
   * A fresh cluster still holds etcd revision 1 until its first compaction (every 20 s here), and
   * a watch from a revision etcd still has is not Gone. Wait until the API server says it is.
   */
  async function untilRevisionOneCompacted(ns: string): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const answer = await admin
        .requestText({
          path: `/api/v1/namespaces/${ns}/configmaps`,
          query: { watch: 'true', resourceVersion: '1', timeoutSeconds: 1 },
          timeoutMs: 5_000,
        })
        .catch((error: unknown) =>
          error instanceof AppError ? `"code":${error.status === 409 ? 410 : error.status}` : '',
        );
      if (answer.includes('"code":410')) return;
      if (Date.now() > deadline) throw new Error('etcd revision 1 was not compacted within 90 s');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  it('relists after a 410 Gone and ends with exactly the live objects', async () => {
    const ns = namespace('lw-gone');
    await createConfigMaps(ns, 30, 1);
    await untilRevisionOneCompacted(ns);
    let synced = 0;
    const { lw } = watch(
      // resourceVersion 1 is long compacted away: the API server answers 410 Gone.
      {
        path: `/api/v1/namespaces/${ns}/configmaps`,
        startFromResourceVersion: '1',
        transform: (o) => o.metadata.name as string,
      },
      { onSynced: () => (synced += 1) },
    );
    await until('the relist', () => (synced > 0 ? true : undefined));
    expect(lw.stats.relistsAfterGone).toBeGreaterThanOrEqual(1);
    expect(lw.stats.lists).toBe(1);
    expect(lw.values().sort()).toEqual(kubectlNames('configmaps', ns));
    kubectlOk('admin', ['delete', 'configmap', 'cm-0007', '-n', ns]);
    await until('the deletion', () => (lw.values().includes('cm-0007') ? undefined : true), 5_000);
    expect(lw.values().sort()).toEqual(kubectlNames('configmaps', ns));
  });

  it('redoes a LIST unpaginated when its continue token expires mid-way (compaction), ending exact', async () => {
    const ns = namespace('lw-expire');
    await createConfigMaps(ns, 30);
    // The real client, with a real etcd compaction just before the first "next page" request:
    // what a list slower than the compaction interval meets on a big cluster.
    const etcd = etcdUrlOf(testCluster.name);
    const [ctx] = parseUntrustedKubeconfig(kubeconfigText('admin'), {
      allowLoopback: true,
      allowPlainHttpLoopback: false,
      allowInsecureSkipTlsVerify: false,
    });
    let compacted = false;
    const compacting = new (class extends AdapterClient {
      override async request<T>(req: K8sRequest): Promise<T> {
        if (req.query?.continue && !compacted) {
          compacted = true;
          kubectlOk('admin', ['create', 'configmap', 'during-list', '-n', ns]);
          await compactEtcd(etcd);
        }
        return super.request<T>(req);
      }
    })('dev', buildKubeConfig('dev', ctx.connection), 10_000);
    const { lw } = watch(
      {
        path: `/api/v1/namespaces/${ns}/configmaps`,
        pageSize: 10,
        streamingList: false,
        transform: (o) => o.metadata.name as string,
      },
      {},
      compacting,
    );
    await until('synced', () => (lw.state === 'synced' ? true : undefined), 30_000);
    expect(compacted).toBe(true);
    expect(lw.stats.expiredContinues).toBe(1);
    expect(lw.values().sort()).toEqual(kubectlNames('configmaps', ns));
    expect(lw.values()).toContain('during-list');
  });

  it('reports forbidden, without retrying in a storm, when the credential may not list the kind', async () => {
    const ns = namespace('lw-rbac');
    const { lw, states, errors } = watch(
      { path: `/api/v1/namespaces/${ns}/secrets`, metadataOnly: true },
      {},
      client('viewer'),
    );
    await until('forbidden', () => (lw.state === 'forbidden' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(states).toEqual(['syncing', 'forbidden']);
    expect(errors[0]).toMatchObject({ code: 'K8S_FORBIDDEN' });
    expect(lw.stats.lists).toBe(1);
    expect(lw.values()).toEqual([]);
  });

  it('falls back to polling when the credential may list but not watch, and still sees changes', async () => {
    const ns = namespace('lw-poll');
    kubectlOk('admin', ['create', 'serviceaccount', 'lister', '-n', ns]);
    kubectlOk('admin', [
      'create',
      'role',
      'list-only',
      '-n',
      ns,
      '--verb=list',
      '--resource=configmaps',
    ]);
    kubectlOk('admin', [
      'create',
      'rolebinding',
      'list-only',
      '-n',
      ns,
      '--role=list-only',
      `--serviceaccount=${ns}:lister`,
    ]);
    const kubeconfig = JSON.parse(kubeconfigText('viewer'));
    kubeconfig.users[0].user.token = kubectlOk('admin', [
      'create',
      'token',
      'lister',
      '-n',
      ns,
    ]).trim();
    const [ctx] = parseUntrustedKubeconfig(JSON.stringify(kubeconfig), {
      allowLoopback: true,
      allowPlainHttpLoopback: false,
      allowInsecureSkipTlsVerify: false,
    });
    const lister = new KubeClient('dev', buildKubeConfig('dev', ctx.connection), 10_000);
    kubectlOk('admin', ['create', 'configmap', 'first', '-n', ns]);

    const { lw, states } = watch(
      {
        path: `/api/v1/namespaces/${ns}/configmaps`,
        pollIntervalMs: 1_000,
        transform: (o) => o.metadata.name as string,
      },
      {},
      lister,
    );
    await until('the first list', () => (lw.values().includes('first') ? true : undefined));
    await until('poll mode', () => (lw.mode === 'poll' ? true : undefined), 10_000);
    kubectlOk('admin', ['create', 'configmap', 'second', '-n', ns]);
    await until(
      'the polled change',
      () => (lw.values().includes('second') ? true : undefined),
      5_000,
    );
    expect(lw.state).toBe('synced');
    expect(states).not.toContain('forbidden');
    expect(lw.stats.lists).toBeGreaterThanOrEqual(2);
    // Its poll timer would otherwise show up in the timer accounting of the stop() test below.
    await lw.stop();
  });

  it('reconnects a silent watch and resumes without a relist', async () => {
    const ns = namespace('lw-idle');
    const { lw, states } = watch({
      path: `/api/v1/namespaces/${ns}/configmaps`,
      idleTimeoutMs: 1000,
      backoff: { initialMs: 100, maxMs: 200 },
    });
    await until('a second watch', () => (lw.stats.watches >= 2 ? true : undefined), 10_000);
    await until('synced again', () => (lw.state === 'synced' ? true : undefined), 5_000);
    expect(states.slice(0, 3)).toEqual(['syncing', 'synced', 'stale']);
    expect(lw.stats.lists).toBe(1);
    kubectlOk('admin', ['create', 'configmap', 'after-reconnect', '-n', ns]);
    await until(
      'the event after reconnecting',
      () => (lw.values().some((o) => o.metadata.name === 'after-reconnect') ? true : undefined),
      5_000,
    );
  });

  it('stop() ends the watch and leaves no timer of the adapter or request running', async () => {
    const pending = trackAdapterTimers();
    try {
      const lw = new ListWatch(admin, { path: '/api/v1/namespaces/default/configmaps' });
      lw.start();
      await until('synced', () => (lw.state === 'synced' ? true : undefined));
      await until(
        'the watch to be open (its idle timer armed)',
        () =>
          [...pending.values()].some((site) => site.includes('watch-stream')) ? true : undefined,
        5_000,
      );
      await expect(lw.stop()).resolves.toBeUndefined();
      expect([...pending.values()]).toEqual([]);
      const watchesAtStop = lw.stats.watches;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(lw.stats.watches).toBe(watchesAtStop);
    } finally {
      pending.restore();
    }
  });
});
