import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiRequest,
  clusterCli,
  createNamespace,
  deleteNamespace,
  eventually,
  kubectl,
  kubectlOk,
  readKubeconfig,
  readyzStatus,
  testCluster,
} from './support/test-cluster';
import { testPrometheus } from '../support/prometheus';

// Acceptance of issue 3: the test cluster behaves like a real cluster, with real RBAC and CRDs.

interface PodList {
  items: {
    metadata: { name: string; labels?: Record<string, string> };
    status: {
      phase?: string;
      conditions?: { type: string; status: string; reason?: string }[];
      containerStatuses?: {
        restartCount: number;
        state: { waiting?: { reason: string }; terminated?: { reason: string; exitCode: number } };
      }[];
    };
  }[];
}

const podsIn = (ns: string, selector: string): PodList =>
  JSON.parse(
    kubectlOk('admin', ['get', 'pods', '-n', ns, '-l', selector, '-o', 'json']),
  ) as PodList;

function deploymentManifest(ns: string, name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      },
    },
  });
}

function podManifest(
  ns: string,
  name: string,
  extra: { labels?: Record<string, string>; spec?: object } = {},
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name, ...extra.labels } },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }], ...extra.spec },
  });
}

describe('test cluster', () => {
  let ns: string;

  beforeAll(() => {
    ns = createNamespace('it-cluster');
  }, 30_000);

  afterAll(() => {
    deleteNamespace(ns);
  });

  it('serves Kubernetes v1.36 over TLS', () => {
    const version = JSON.parse(kubectlOk('admin', ['version', '-o', 'json'])) as {
      serverVersion: { gitVersion: string };
      clientVersion: { gitVersion: string };
    };

    expect(version.serverVersion.gitVersion).toMatch(/^v1\.36\.\d+$/);
    expect(version.clientVersion.gitVersion).toMatch(/^v1\.36\.\d+$/);
    expect(readKubeconfig('admin').server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('writes kubeconfigs with inline credentials only (no file paths, no exec)', () => {
    for (const role of ['admin', 'viewer', 'operator'] as const) {
      const text = JSON.stringify(readKubeconfig(role).raw);

      expect(text).toContain('certificate-authority-data');
      expect(text).not.toMatch(
        /"(certificate-authority|client-certificate|client-key|tokenFile|exec|auth-provider)"/,
      );
    }
    expect(readKubeconfig('viewer').token).toBeTruthy();
    expect(readKubeconfig('operator').token).toBeTruthy();
  });

  it('has Ready KWOK nodes', () => {
    const all = JSON.parse(kubectlOk('admin', ['get', 'nodes', '-o', 'json'])) as {
      items: {
        metadata: { name: string; annotations: Record<string, string> };
        status: { conditions: { type: string; status: string }[] };
      }[];
    };

    // The harness's own nodes: other suites add nodes that are NotReady or unannotated on purpose
    // (overview's fault node, diagnostics' pressure node) and may still be there.
    const nodes = { items: all.items.filter((n) => n.metadata.name.startsWith('kwok-node-')) };
    expect(nodes.items.length).toBeGreaterThanOrEqual(1);
    for (const node of nodes.items) {
      expect(node.metadata.annotations['kwok.x-k8s.io/node']).toBe('fake');
      expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('runs a 3-replica Deployment to 3 Running pods within 60 s and serves their configured logs', async () => {
    kubectlOk('admin', ['apply', '-f', '-'], { input: deploymentManifest(ns, 'web', 3) });

    const running = await eventually(
      '3 Running pods',
      () => {
        const pods = podsIn(ns, 'app=web').items.filter((p) => p.status.phase === 'Running');
        return pods.length === 3 ? pods : undefined;
      },
      { timeoutMs: 60_000 },
    );

    const dir = mkdtempSync(join(tmpdir(), 'cloudpilot-logs-'));
    const logsFile = join(dir, 'web.log');
    writeFileSync(
      logsFile,
      '2026-11-01T10:00:00Z stdout F hello from the test cluster\n2026-11-01T10:00:01Z stderr F second line\n',
    );
    const clusterLogs = `${ns}-logs`;
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'kwok.x-k8s.io/v1alpha1',
        kind: 'ClusterLogs',
        metadata: { name: clusterLogs },
        spec: { selector: { matchNamespaces: [ns] }, logs: [{ logsFile }] },
      }),
    });
    try {
      // kwok-controller picks the new ClusterLogs up through a watch: allow it a moment.
      const logs = await eventually('pod logs', () => {
        const res = kubectl('admin', ['logs', '-n', ns, running[0].metadata.name]);
        return res.status === 0 && res.stdout.length > 0 ? res.stdout : undefined;
      });

      expect(logs).toBe('hello from the test cluster\nsecond line\n');
    } finally {
      kubectl('admin', ['delete', 'clusterlogs', clusterLogs, '--ignore-not-found']);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('serves an Istio Gateway created as networking.istio.io/v1 through v1beta1', () => {
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'edge', namespace: ns },
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [
            { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['edge.example.com'] },
          ],
        },
      }),
    });

    const gw = JSON.parse(
      kubectlOk('admin', [
        'get',
        'gateways.v1beta1.networking.istio.io',
        'edge',
        '-n',
        ns,
        '-o',
        'json',
      ]),
    ) as {
      apiVersion: string;
      spec: { servers: { hosts: string[] }[] };
    };

    expect(gw.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(gw.spec.servers[0].hosts).toEqual(['edge.example.com']);
  });

  it('drives labelled pods into CrashLoopBackOff, ImagePullBackOff, OOMKilled and Failed, and leaves unschedulable pods Pending', async () => {
    const faults = ['CrashLoopBackOff', 'ImagePullBackOff', 'OOMKilled', 'Failed'];
    for (const fault of faults) {
      kubectlOk('admin', ['apply', '-f', '-'], {
        input: podManifest(ns, `fault-${fault.toLowerCase()}`, {
          labels: { 'cloudpilot.dev/fault': fault, 'it-fault': 'yes' },
          spec: fault === 'Failed' ? { restartPolicy: 'Never' } : {},
        }),
      });
    }
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: podManifest(ns, 'unschedulable', {
        labels: { 'it-fault': 'yes' },
        spec: { nodeSelector: { disktype: 'none-has-this' } },
      }),
    });

    const byName = await eventually('fault pods to settle', () => {
      const pods = new Map(
        podsIn(ns, 'it-fault=yes').items.map((p) => [p.metadata.name, p.status]),
      );
      const scheduled = pods
        .get('unschedulable')
        ?.conditions?.find((c) => c.type === 'PodScheduled');
      const settled =
        faults.every((f) => pods.get(`fault-${f.toLowerCase()}`)?.containerStatuses?.length) &&
        scheduled;
      return settled ? pods : undefined;
    });
    // Give kwok a moment to (wrongly) move them on, then check they stayed put.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = new Map(podsIn(ns, 'it-fault=yes').items.map((p) => [p.metadata.name, p.status]));
    const container = (name: string) => after.get(name)?.containerStatuses?.[0];

    expect(byName.size).toBe(5);
    expect(container('fault-crashloopbackoff')?.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(container('fault-crashloopbackoff')?.restartCount).toBeGreaterThan(0);
    expect(container('fault-imagepullbackoff')?.state.waiting?.reason).toBe('ImagePullBackOff');
    expect(after.get('fault-imagepullbackoff')?.phase).toBe('Pending');
    expect(container('fault-oomkilled')?.state.terminated).toMatchObject({
      reason: 'OOMKilled',
      exitCode: 137,
    });
    expect(after.get('fault-failed')?.phase).toBe('Failed');
    expect(after.get('unschedulable')?.phase).toBe('Pending');
    expect(
      after.get('unschedulable')?.conditions?.find((c) => c.type === 'PodScheduled'),
    ).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
    });
  }, 60_000);
});

describe('test cluster RBAC', () => {
  let ns: string;

  beforeAll(() => {
    ns = createNamespace('it-rbac');
    kubectlOk('admin', [
      'create',
      'secret',
      'generic',
      'db',
      '-n',
      ns,
      '--from-literal=password=x',
    ]);
    kubectlOk('admin', ['apply', '-f', '-'], { input: deploymentManifest(ns, 'api', 1) });
  }, 30_000);

  afterAll(() => {
    deleteNamespace(ns);
  });

  it('lets the viewer list pods', async () => {
    expect(kubectl('viewer', ['get', 'pods', '-n', ns]).status).toBe(0);
    await expect(
      apiRequest('viewer', 'GET', `/api/v1/namespaces/${ns}/pods`),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('answers 403 to the viewer reading a Secret or creating a pod', async () => {
    await expect(
      apiRequest('viewer', 'GET', `/api/v1/namespaces/${ns}/secrets/db`),
    ).resolves.toMatchObject({ status: 403 });
    await expect(
      apiRequest(
        'viewer',
        'POST',
        `/api/v1/namespaces/${ns}/pods`,
        JSON.parse(podManifest(ns, 'intruder')),
      ),
    ).resolves.toMatchObject({ status: 403 });
  });

  it('lets the operator scale a Deployment and delete a pod, but not read Secrets', async () => {
    expect(kubectl('operator', ['scale', 'deployment/api', '-n', ns, '--replicas=2']).status).toBe(
      0,
    );
    const pods = await eventually('2 api pods', () => {
      const list = podsIn(ns, 'app=api').items;
      return list.length === 2 ? list : undefined;
    });

    expect(
      kubectl('operator', ['delete', 'pod', pods[0].metadata.name, '-n', ns, '--wait=false'])
        .status,
    ).toBe(0);
    await expect(
      apiRequest('operator', 'GET', `/api/v1/namespaces/${ns}/secrets/db`),
    ).resolves.toMatchObject({ status: 403 });
  });
});

describe('cluster:seed', () => {
  it('applies the fixtures: healthy samples Ready, a Service without endpoints, broken pods broken, logs served', () => {
    const seed = clusterCli(['seed', '--name', testCluster.name]);

    expect(seed.stderr).toContain('seeded');
    expect(seed.status).toBe(0);
    const slices = JSON.parse(
      kubectlOk('admin', ['get', 'endpointslices', '-n', 'shop', '-o', 'json']),
    ) as {
      items: { metadata: { labels: Record<string, string> }; endpoints?: unknown[] }[];
    };
    const endpointsOf = (svc: string) =>
      slices.items
        .filter((s) => s.metadata.labels['kubernetes.io/service-name'] === svc)
        .flatMap((s) => s.endpoints ?? []);
    expect(endpointsOf('web')).toHaveLength(3);
    expect(endpointsOf('legacy-search')).toHaveLength(0);
    // checkout, image-pull, oom-killed, failed, unschedulable, init-crash, sidecar-crash,
    // liveness-restarts, evicted.
    expect(
      kubectlOk('admin', ['get', 'pods', '-n', 'faults', '-o', 'name']).trim().split('\n'),
    ).toHaveLength(9);
    expect(kubectlOk('admin', ['logs', '-n', 'shop', 'deployment/web'])).toContain(
      'server listening',
    );
    expect(
      kubectlOk('admin', [
        'get',
        'events',
        '-n',
        'faults',
        '--field-selector=reason=OOMKilling',
        '-o',
        'name',
      ]),
    ).not.toBe('');
  }, 180_000);
});

/** Whether a Prometheus answers its readiness endpoint. */
async function prometheusReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

describe('two test clusters side by side', () => {
  const other = `it-${process.pid}`;

  afterAll(() => {
    clusterCli(['down', '--name', other]);
  }, 120_000);

  it('starts a second cluster beside the first and cluster:down stops only that one', async () => {
    const up = clusterCli(['up', '--name', other, '--no-istio', '--nodes', '1']);

    expect(up.status).toBe(0);
    const otherConfig = readKubeconfig('admin', up.stdout.trim());
    const first = readKubeconfig('admin');
    expect(otherConfig.server).not.toBe(first.server);
    await expect(readyzStatus(otherConfig.server, otherConfig.ca)).resolves.toBe(200);
    await expect(readyzStatus(first.server, first.ca)).resolves.toBe(200);
    // --no-istio leaves the Istio CRDs out.
    expect(
      kubectl('admin', ['get', 'crd', 'gateways.networking.istio.io'], {
        kubeconfigDir: up.stdout.trim(),
      }).status,
    ).not.toBe(0);

    // Each cluster has its own Prometheus; cluster:status names it.
    const otherPrometheus = (
      JSON.parse(readFileSync(join(up.stdout.trim(), 'telemetry', 'telemetry.json'), 'utf8')) as {
        prometheusUrl: string;
      }
    ).prometheusUrl;
    expect(otherPrometheus).not.toBe(testPrometheus.url);
    await expect(prometheusReady(otherPrometheus)).resolves.toBe(true);
    expect(clusterCli(['status']).stdout).toContain(`prometheus ${otherPrometheus}`);
    // --no-prometheus on a running cluster stops its Prometheus and keeps the cluster.
    const lean = clusterCli([
      'up',
      '--name',
      other,
      '--no-istio',
      '--nodes',
      '1',
      '--no-prometheus',
    ]);
    expect(lean.status).toBe(0);
    await expect(prometheusReady(otherPrometheus)).resolves.toBe(false);
    await expect(readyzStatus(otherConfig.server, otherConfig.ca)).resolves.toBe(200);

    const down = clusterCli(['down', '--name', other]);

    expect(down.status).toBe(0);
    await expect(readyzStatus(otherConfig.server, otherConfig.ca)).resolves.toBe(0);
    await expect(prometheusReady(otherPrometheus)).resolves.toBe(false);
    await expect(readyzStatus(first.server, first.ca)).resolves.toBe(200);
    await expect(prometheusReady(testPrometheus.url)).resolves.toBe(true);
    expect(kubectl('admin', ['get', 'nodes']).status).toBe(0);
  }, 300_000);
});
