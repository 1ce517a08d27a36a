import { near, promQuery, testPrometheus, untilPromValue } from '../support/prometheus';
import { createNamespace, deleteNamespace, kubectlOk, until } from './support/test-cluster';

// Issue 28, item 1: the real Prometheus of the test cluster scrapes the telemetry simulator, whose
// series follow the sim.cloudpilot.dev/ annotations. The oracle is what this test configures; the
// check is Prometheus's own PromQL, within 5 %.

const MI = 2 ** 20;
const GI = 2 ** 30;
const SIM = 'sim.cloudpilot.dev/';
const WINDOW = '[15s]';

function deployment(
  ns: string,
  name: string,
  replicas: number,
  annotations: Record<string, string>,
  extra: { version?: string; claim?: string; cpuLimit?: string } = {},
): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      annotations: Object.fromEntries(Object.entries(annotations).map(([k, v]) => [SIM + k, v])),
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, version: extra.version ?? 'v1' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.example/${name}:1`,
              ...(extra.cpuLimit ? { resources: { limits: { cpu: extra.cpuLimit } } } : {}),
            },
          ],
          ...(extra.claim
            ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: extra.claim } }] }
            : {}),
        },
      },
    },
  };
}

const service = (ns: string, name: string, app: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector: { app }, ports: [{ name: 'http', port: 80 }] },
});

/** A statically provisioned volume pre-bound to claim `data`, so the pod mounting it schedules. */
function volume(ns: string): object[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `${ns}-data` },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: '',
        hostPath: { path: `/tmp/${ns}` },
        claimRef: { namespace: ns, name: 'data' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: ns },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: '',
        volumeName: `${ns}-data`,
        resources: { requests: { storage: '10Gi' } },
      },
    },
  ];
}

/** Sums of the simulator's series matching each filter, all from one scrape of /metrics. */
async function simulatorSums(...filters: ((line: string) => boolean)[]): Promise<number[]> {
  const text = await (await fetch(`${testPrometheus.simulatorUrl}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  return filters.map((filter) =>
    lines.filter(filter).reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0),
  );
}

describe('telemetry harness: Prometheus and the simulator', () => {
  let ns: string;
  const sel = (extra: string) => `namespace="${ns}",${extra}`;
  const dst = (workload: string, extra = '') =>
    `reporter="destination",destination_workload_namespace="${ns}",destination_workload="${workload}"${extra}`;
  const rate = (metric: string, labels: string) => `sum(rate(${metric}{${labels}}${WINDOW}))`;

  beforeAll(() => {
    ns = createNamespace('it-tel');
    const objects = [
      ...volume(ns),
      deployment(ns, 'frontend', 2, {
        calls: `backend.${ns}=20,ledger=4,ghost=3`,
        'ingress-rps': '10',
      }),
      deployment(
        ns,
        'backend',
        3,
        {
          calls: 'db=5',
          'error-ratio': '0.08',
          'client-error-ratio': '0.02',
          'latency-ms': 'p50=20,p95=80,p99=150',
          cpu: '0.25',
          'cpu-throttle-ratio': '0.3',
          memory: '200Mi',
        },
        { version: 'v2', cpuLimit: '500m' },
      ),
      deployment(ns, 'ledger', 1, { protocol: 'grpc', 'error-ratio': '0.1' }),
      deployment(
        ns,
        'db',
        1,
        { protocol: 'tcp', mtls: 'false', 'volume-used': '1Gi', 'volume-fill': '1Mi/s' },
        { claim: 'data' },
      ),
      service(ns, 'frontend', 'frontend'),
      service(ns, 'backend', 'backend'),
      service(ns, 'ledger', 'ledger'),
      service(ns, 'db', 'db'),
      // A Service with no ready endpoints: its callers see 503 with response flag UH.
      service(ns, 'ghost', 'nobody'),
    ];
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
    });
    for (const name of ['frontend', 'backend', 'ledger', 'db'])
      kubectlOk('admin', ['rollout', 'status', '-n', ns, `deployment/${name}`, '--timeout=90s']);
  }, 120_000);

  afterAll(() => {
    deleteNamespace(ns);
    kubectlOk('admin', ['delete', 'pv', `${ns}-data`, '--wait=false', '--ignore-not-found']);
  });

  it('serves the request rate a workload is configured to receive, seen by both reporters', async () => {
    await untilPromValue(rate('istio_requests_total', dst('backend')), {
      accept: near(20),
      timeoutMs: 60_000,
    });
    await untilPromValue(
      rate(
        'istio_requests_total',
        `reporter="source",source_workload_namespace="${ns}",source_workload="frontend",destination_service_name="backend"`,
      ),
      { accept: near(20) },
    );
    // Requests from outside the mesh: only the destination reports them, from "unknown".
    await untilPromValue(
      rate('istio_requests_total', dst('frontend', ',source_workload="unknown"')),
      { accept: near(10) },
    );
  }, 90_000);

  it('answers the configured share of 5xx and 4xx', async () => {
    const share = (code: string) =>
      `${rate('istio_requests_total', dst('backend', `,response_code=~"${code}"`))} / ${rate('istio_requests_total', dst('backend'))}`;
    await untilPromValue(share('5..'), { accept: near(0.08), timeoutMs: 60_000 });
    await untilPromValue(share('4..'), { accept: near(0.02) });
  }, 90_000);

  it('shapes the duration histogram so histogram_quantile returns the configured p50/p95/p99', async () => {
    const quantile = (q: number) =>
      `histogram_quantile(${q}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${dst('backend')}}${WINDOW})))`;
    await untilPromValue(quantile(0.5), { accept: near(20), timeoutMs: 60_000 });
    await untilPromValue(quantile(0.95), { accept: near(80) });
    await untilPromValue(quantile(0.99), { accept: near(150) });
  }, 90_000);

  it('reports gRPC errors as grpc_response_status 14 with HTTP 200', async () => {
    const ledger = dst('ledger', ',request_protocol="grpc",response_code="200"');
    await untilPromValue(
      `${rate('istio_requests_total', `${ledger},grpc_response_status="14"`)} / ${rate('istio_requests_total', ledger)}`,
      { accept: near(0.1), timeoutMs: 60_000 },
    );
  }, 90_000);

  it('reports TCP traffic in istio_tcp_* only, without mTLS when the destination opts out', async () => {
    const db = dst('db', ',connection_security_policy="none"');
    await untilPromValue(rate('istio_tcp_connections_opened_total', db), {
      accept: near(5),
      timeoutMs: 60_000,
    });
    await untilPromValue(rate('istio_tcp_sent_bytes_total', db), { accept: near(5 * 4096) });
    await expect(promQuery(`istio_requests_total{${dst('db')}}`)).resolves.toEqual([]);
  }, 90_000);

  it('has callers of a Service without ready pods see 503 UH from an unknown destination', async () => {
    await untilPromValue(
      rate(
        'istio_requests_total',
        `reporter="source",source_workload_namespace="${ns}",destination_service_name="ghost",response_code="503",response_flags="UH",destination_workload="unknown"`,
      ),
      { accept: near(3), timeoutMs: 60_000 },
    );
  }, 90_000);

  it('serves exactly the configured call graph', async () => {
    const byEdge = '(source_workload, destination_service_name, destination_workload)';
    const src = `reporter="source",source_workload_namespace="${ns}"`;
    // Edges with traffic now: a caller that started before its callee was ready keeps its old
    // (now idle) 503 UH series, as an Envoy does, until it ages out of the window.
    const expr = `sum by ${byEdge} (rate(istio_requests_total{${src}}${WINDOW})) > 0 or sum by ${byEdge} (rate(istio_tcp_connections_opened_total{${src}}${WINDOW})) > 0`;
    const expected = [
      'backend -> db (db)',
      'frontend -> backend (backend)',
      'frontend -> ghost (unknown)',
      'frontend -> ledger (ledger)',
    ];
    let graph: string[] = [];
    await until(
      'the call graph in Prometheus',
      async () => {
        graph = (await promQuery(expr))
          .map(
            ({ metric: m }) =>
              `${m.source_workload} -> ${m.destination_service_name} (${m.destination_workload})`,
          )
          .sort();
        return JSON.stringify(graph) === JSON.stringify(expected) ? true : undefined;
      },
      60_000,
    ).catch(() => undefined);
    expect(graph).toEqual(expected);
  }, 90_000);

  it('serves cAdvisor CPU, throttling and memory per container as configured', async () => {
    const containers = sel('pod=~"backend-.*",container!=""');
    await untilPromValue(`sum(container_memory_working_set_bytes{${containers}})`, {
      accept: near(3 * 200 * MI),
      timeoutMs: 60_000,
    });
    await untilPromValue(rate('container_cpu_usage_seconds_total', containers), {
      accept: near(3 * 0.25),
    });
    await untilPromValue(
      `${rate('container_cpu_cfs_throttled_periods_total', containers)} / ${rate('container_cpu_cfs_periods_total', containers)}`,
      { accept: near(0.3) },
    );
  }, 90_000);

  it('fills the PVC from volume-used at volume-fill up to its requested capacity', async () => {
    const pvc = sel('persistentvolumeclaim="data"');
    await untilPromValue(`kubelet_volume_stats_capacity_bytes{${pvc}}`, {
      accept: near(10 * GI, 0),
      timeoutMs: 60_000,
    });
    const used = await untilPromValue(`kubelet_volume_stats_used_bytes{${pvc}}`);
    // Started at 1Gi when the annotation was first seen, growing 1Mi/s since (this run < 10 min).
    expect(used).toBeGreaterThanOrEqual(GI);
    expect(used).toBeLessThan(GI + 600 * MI);
    await untilPromValue(`deriv(kubelet_volume_stats_used_bytes{${pvc}}${WINDOW})`, {
      accept: near(MI),
    });
  }, 90_000);

  it('follows `kubectl annotate --overwrite` from the next scrape on', async () => {
    const backend = (l: string) =>
      l.startsWith('istio_requests_total{reporter="destination"') &&
      l.includes(`destination_workload="backend"`) &&
      l.includes(`destination_workload_namespace="${ns}"`);
    kubectlOk('admin', [
      'annotate',
      '--overwrite',
      '-n',
      ns,
      'deployment/backend',
      `${SIM}error-ratio=0.5`,
      `${SIM}memory=300Mi`,
    ]);
    // The simulator's own counters, two reads apart: the share of 503 among the requests between
    // them is exactly the new ratio once the watch delivered the change (well within 5 s).
    const deadline = Date.now() + 5_000;
    const is503 = (l: string) => backend(l) && l.includes('response_code="503"');
    let share = 0;
    while (Date.now() < deadline) {
      const [all0, err0] = await simulatorSums(backend, is503);
      await new Promise((r) => setTimeout(r, 500));
      const [all1, err1] = await simulatorSums(backend, is503);
      share = (err1 - err0) / (all1 - all0);
      if (Math.abs(share - 0.5) < 5e-4) break;
    }
    expect(share).toBeCloseTo(0.5, 3);
    await untilPromValue(
      `${rate('istio_requests_total', dst('backend', ',response_code="503"')).replace(WINDOW, '[3s]')} / ${rate('istio_requests_total', dst('backend')).replace(WINDOW, '[3s]')}`,
      { accept: near(0.5), timeoutMs: 30_000 },
    );
    await untilPromValue(
      `sum(container_memory_working_set_bytes{${sel('pod=~"backend-.*",container!=""')}})`,
      { accept: near(3 * 300 * MI, 0) },
    );
  }, 90_000);
});
