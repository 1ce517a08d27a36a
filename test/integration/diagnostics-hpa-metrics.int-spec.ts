import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { MetricsAdapter } from './support/metrics-adapter';
import {
  createNamespace,
  deleteNamespace,
  kubectl,
  kubectlOk,
  until,
} from './support/test-cluster';

/**
 * HPA_METRICS_UNAVAILABLE on the real cluster: a custom-metrics adapter that is up and serves the
 * metric, but for none of an autoscaler's pods (the HPA controller then reports "no metrics
 * returned"), against its look-alikes: the same metric served for the pods, and an autoscaler
 * paused by its target scaled to zero. The metrics API itself being down is another finding
 * (HPA_METRICS_API_UNAVAILABLE, diagnostics-causes-a).
 */

jest.setTimeout(240_000);

const METRIC = 'requests_per_second';
const adapter = new MetricsAdapter(METRIC);
let app: TestApp;
let clusterId: string;
let adapterNs: string;
let broken: string;
let healthy: string;

const label = (f: { code: string; object: { kind: string; namespace: string; name: string } }) =>
  `${f.code} ${f.object.kind} ${f.object.namespace}/${f.object.name}`;

const apply = (items: object[]) =>
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  });

function deployment(namespace: string, name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace, name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      },
    },
  };
}

function autoscaler(namespace: string, name: string) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { namespace, name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: { name: METRIC },
            target: { type: 'AverageValue', averageValue: '10' },
          },
        },
      ],
    },
  };
}

/**
 * kubectl runs synchronously and this process serves the adapter, so nothing here may block on
 * kubectl for long (no `kubectl wait`): the API server's calls to the adapter would time out.
 */
const jsonOf = (args: string[]) => JSON.parse(kubectlOk('admin', [...args, '-o', 'json']));

const condition = (namespace: string, name: string) => {
  const hpa = JSON.parse(
    kubectlOk('admin', ['-n', namespace, 'get', 'hpa', name, '-o', 'json']),
  ) as {
    status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
  };
  return hpa.status?.conditions?.find((c) => c.type === 'ScalingActive');
};

async function findings(): Promise<string[]> {
  const res = await app
    .http()
    .get(`/api/v1/clusters/${clusterId}/diagnostics?limit=500`)
    .set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`diagnostics: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.items.map(label).filter((l: string) => l.startsWith('HPA_'));
}

beforeAll(async () => {
  await adapter.up();
  adapterNs = createNamespace('metrics-adapter');
  broken = createNamespace('hpa-broken');
  healthy = createNamespace('hpa-healthy');
  apply(adapter.manifests(adapterNs));
  await until(
    "the adapter's APIService available",
    async () =>
      jsonOf(['get', 'apiservice', 'v1beta1.custom.metrics.k8s.io']).status?.conditions?.some(
        (c: { type: string; status: string }) => c.type === 'Available' && c.status === 'True',
      ) || undefined,
    60_000,
    500,
  );
  apply([
    deployment(broken, 'checkout', 1),
    deployment(healthy, 'served', 1),
    deployment(healthy, 'paused', 0),
  ]);
  await until(
    'the served Deployment available',
    async () =>
      jsonOf(['-n', healthy, 'get', 'deployment', 'served']).status?.availableReplicas === 1 ||
      undefined,
    60_000,
    500,
  );
  const pods = kubectlOk('admin', [
    ...['-n', healthy, 'get', 'pods', '-l', 'app=served'],
    ...['-o', 'jsonpath={.items[*].metadata.name}'],
  ]);
  adapter.served.set(healthy, { pods: pods.trim().split(/\s+/), value: '5' });
  apply([
    autoscaler(broken, 'checkout'),
    autoscaler(healthy, 'served'),
    autoscaler(healthy, 'paused'),
  ]);
  app = await startServer();
  clusterId = (await register(app, 'hpa-metrics')).id;
});

afterAll(async () => {
  await app?.close();
  // The APIService goes first: an aggregated API that stops answering blocks namespace deletion.
  kubectl('admin', ['delete', 'apiservice', 'v1beta1.custom.metrics.k8s.io', '--ignore-not-found']);
  await adapter.down();
  for (const ns of [broken, healthy, adapterNs]) if (ns) deleteNamespace(ns);
});

describe('an autoscaler whose metric the adapter does not return', () => {
  it('is HPA_METRICS_UNAVAILABLE; the served and the paused look-alikes stay silent', async () => {
    // The controller's own verdicts first (it syncs every 15 s): each HPA really in its state.
    let last: object = {};
    const states = await until(
      'the HPA controller judged all three',
      async () => {
        const s = (last = {
          checkout: condition(broken, 'checkout'),
          served: condition(healthy, 'served'),
          paused: condition(healthy, 'paused'),
        });
        return s.checkout?.status === 'False' && s.served?.status === 'True' && s.paused
          ? s
          : undefined;
      },
      120_000,
      1000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last seen: ${JSON.stringify(last)}`);
    });
    expect(states.checkout!.message).toContain('no metrics returned from custom metrics API');
    expect(states.paused).toMatchObject({ status: 'False', reason: 'ScalingDisabled' });
    expect(adapter.asked.get(broken)).toBeGreaterThan(0);

    const expected = `HPA_METRICS_UNAVAILABLE HorizontalPodAutoscaler ${broken}/checkout`;
    const seen = await until(
      'the finding',
      async () => {
        const all = await findings();
        return all.includes(expected) ? all : undefined;
      },
      60_000,
      1000,
    );
    expect(seen.filter((l) => l.includes(` ${healthy}/`))).toEqual([]);
    // The adapter is up: no finding blames the API itself.
    expect(seen.filter((l) => l.includes('custom.metrics.k8s.io'))).toEqual([]);
  });
});
