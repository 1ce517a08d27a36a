import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/config-loader';
import { ADMIN_TOKEN, bearer, startTestApp } from '../e2e/support/test-app';
import {
  CommandResult,
  createNamespace,
  deleteNamespace,
  kubectl,
  kubectlOk,
  readKubeconfig,
  testCluster,
} from './support/test-cluster';

/**
 * helm/cloudpilot against the real test API server: lint, the three documented renders, the values
 * schema, a server-side dry run of every manifest, and CloudPilot reading the cluster with a token
 * of the chart's own ServiceAccount under the chart's own RBAC.
 */
const CHART = join(__dirname, '..', '..', 'helm', 'cloudpilot');
const HELM = join(dirname(process.env.CLOUDPILOT_TEST_KUBECTL ?? ''), 'helm');
const POSTGRES = [
  '--set',
  'mode=server',
  '--set',
  'database.type=postgres',
  '--set',
  'database.url=postgres://cp:pw@db:5432/cp',
  '--set',
  'replicaCount=3',
];
// Cluster-scoped RBAC objects are named after the release: unique per run.
const release = `cp-${randomBytes(3).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'cp-helm-'));
let namespace: string;

type Manifest = {
  kind: string;
  metadata: { name: string };
  spec?: any;
  data?: Record<string, string>;
  rules?: any[];
};

function helm(args: string[]): CommandResult {
  const res = spawnSync(HELM, args, { encoding: 'utf8', timeout: 60_000 });
  return {
    status: res.status ?? -1,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? String(res.error ?? ''),
  };
}

function render(args: string[] = [], ns = 'default'): { yaml: string; manifests: Manifest[] } {
  const res = helm(['template', release, CHART, '--namespace', ns, ...args]);
  if (res.status !== 0) throw new Error(`helm template ${args.join(' ')} failed: ${res.stderr}`);
  const manifests = parseAllDocuments(res.stdout)
    .map((d) => d.toJS() as Manifest)
    .filter(Boolean);
  return { yaml: res.stdout, manifests };
}

const one = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const deployment = (manifests: Manifest[]) => one(manifests, 'Deployment')[0];

beforeAll(() => {
  namespace = createNamespace('helm');
  // The restricted profile's warnings appear on any Deployment that would create violating pods.
  kubectlOk('admin', [
    'label',
    'namespace',
    namespace,
    'pod-security.kubernetes.io/warn=restricted',
    'pod-security.kubernetes.io/enforce=restricted',
  ]);
});

afterAll(() => {
  kubectl('admin', [
    'delete',
    'clusterrole,clusterrolebinding',
    '-l',
    `app.kubernetes.io/instance=${release}`,
    '--ignore-not-found',
  ]);
  deleteNamespace(namespace);
  rmSync(tmp, { recursive: true, force: true });
});

describe('helm/cloudpilot renders', () => {
  it('passes helm lint --strict for instant and server values', () => {
    for (const args of [[], ['--set', 'mode=server'], POSTGRES]) {
      const res = helm(['lint', '--strict', CHART, ...args]);
      expect({ status: res.status, out: res.stdout }).toMatchObject({
        status: 0,
        out: expect.stringContaining('0 chart(s) failed'),
      });
      expect(res.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    }
  });

  it('renders instant defaults: one replica, Recreate, read-only RBAC, in-cluster identity, no PVC', () => {
    const { manifests } = render();
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);
    const pod = deployment(manifests).spec.template.spec;
    expect(deployment(manifests).spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'Recreate' },
    });
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].env).toContainEqual({ name: 'K8S_IN_CLUSTER', value: 'true' });
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.containers[0]).toMatchObject({
      startupProbe: { httpGet: { path: '/healthz' } },
      readinessProbe: { httpGet: { path: '/readyz' } },
      livenessProbe: { httpGet: { path: '/healthz' } },
    });
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'tmp', emptyDir: {} },
        { name: 'data', emptyDir: {} },
      ]),
    );
    const rules = one(manifests, 'ClusterRole')[0].rules!;
    expect(rules.flatMap((r) => r.verbs)).not.toEqual(expect.arrayContaining(['create']));
    expect(rules.flatMap((r) => r.resources)).not.toContain('secrets');
    expect(JSON.stringify(manifests)).not.toContain('cluster-admin');
  });

  it('renders server mode with SQLite on a PVC, one replica with Recreate and no PodDisruptionBudget', () => {
    const { manifests } = render(['--set', 'mode=server']);
    expect(one(manifests, 'PodDisruptionBudget')).toHaveLength(0);
    expect(one(manifests, 'PersistentVolumeClaim')).toHaveLength(1);
    expect(one(manifests, 'ClusterRole')).toHaveLength(0);
    expect(deployment(manifests).spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'Recreate' },
    });
    expect(deployment(manifests).spec.template.spec.volumes).toContainEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: `${release}-cloudpilot` },
    });
  });

  it('renders server mode with PostgreSQL and 3 replicas, the URL only in the Secret', () => {
    const { manifests } = render(POSTGRES);
    expect(one(manifests, 'PersistentVolumeClaim')).toHaveLength(0);
    expect(deployment(manifests).spec).toMatchObject({
      replicas: 3,
      strategy: { type: 'RollingUpdate' },
    });
    expect(deployment(manifests).spec.template.spec.containers[0].env).toContainEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: `${release}-cloudpilot`, key: 'database-url' } },
    });
    expect(one(manifests, 'Secret')[0].data!['database-url']).toBe(
      Buffer.from('postgres://cp:pw@db:5432/cp').toString('base64'),
    );
  });

  it('gives PostgreSQL replicas a PodDisruptionBudget and spreads them over nodes, with no Lease RBAC', () => {
    const { manifests } = render(POSTGRES);
    const selector = deployment(manifests).spec.selector.matchLabels;
    expect(one(manifests, 'PodDisruptionBudget')[0].spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: selector },
    });
    expect(deployment(manifests).spec.template.spec.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: selector },
            },
          },
        ],
      },
    });
    // Leader election is a PostgreSQL advisory lock: the ServiceAccount needs no Lease rights.
    expect(JSON.stringify(manifests)).not.toContain('coordination.k8s.io');
  });

  it('renders a config.yaml that CloudPilot itself accepts (unknown keys would exit 2)', () => {
    const { manifests } = render([
      '--set',
      'config.llm.provider=ollama',
      '--set',
      'config.clusters.allowLoopback=true',
    ]);
    const file = join(tmp, 'config.yaml');
    writeFileSync(file, one(manifests, 'ConfigMap')[0].data!['config.yaml']);
    const loaded = loadConfig(['--config', file], {});
    expect(loaded.config).toMatchObject({
      log: { level: 'info' },
      llm: { provider: 'ollama' },
      clusters: { allowLoopback: true },
    });
  });

  it('rejects wrong types and unknown keys through values.schema.json', () => {
    const cases: Array<[string, RegExp]> = [
      ['replicaCount: three\n', /replicaCount.*want integer/],
      ['rbac:\n  secrets: "yes"\n', /rbac\/secrets.*want boolean/],
      ['mode: cluster\n', /mode/],
      ['config:\n  log:\n    colour: true\n', /colour/],
      // SQLite is one file on one volume: several replicas need PostgreSQL.
      ['mode: server\nreplicaCount: 3\n', /replicaCount.*maximum: got 3, want 1/],
    ];
    for (const [values, message] of cases) {
      const file = join(tmp, 'bad-values.yaml');
      writeFileSync(file, values);
      const res = helm(['template', release, CHART, '-f', file]);
      expect({ status: res.status, stderr: res.stderr }).toMatchObject({
        status: 1,
        stderr: expect.stringMatching(message),
      });
    }
  });
});

describe('helm/cloudpilot on the real API server', () => {
  it('has every rendered manifest accepted by a server-side dry run, within the restricted Pod Security profile', () => {
    const variants = [
      [],
      [
        '--set',
        'mode=server',
        '--set',
        'ingress.enabled=true',
        '--set',
        'networkPolicy.enabled=true',
      ],
      POSTGRES,
      ['--set', 'rbac.secrets=true', ...allWrites()],
    ];
    for (const args of variants) {
      const { yaml } = render(args, namespace);
      const res = kubectl('admin', ['apply', '--dry-run=server', '-n', namespace, '-f', '-'], {
        input: yaml,
      });
      expect({ args, status: res.status, stderr: res.stderr }).toEqual({
        args,
        status: 0,
        stderr: '',
      });
    }
  });

  it('gives CloudPilot read access by default (overview, nodes, namespaces, browse, logs, Istio reads work; Secrets, scale and pod deletion K8S_FORBIDDEN) and the actions only when enabled', async () => {
    const caFile = join(tmp, 'ca.pem');
    writeFileSync(caFile, readKubeconfig('admin').ca);
    applyRbac([]);
    const token = kubectlOk('admin', [
      'create',
      'token',
      `${release}-cloudpilot`,
      '-n',
      namespace,
      '--duration=10m',
    ]).trim();
    const t = await startTestApp({
      argv: ['--mode', 'instant'],
      env: {
        K8S_API_SERVER: readKubeconfig('admin').server,
        K8S_TOKEN: token,
        CLOUDPILOT_K8S_CA_FILE: caFile,
        CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
      },
    });
    try {
      const permissions = async () => {
        const res = await t.http().post('/api/v1/clusters/local/test').set(bearer(ADMIN_TOKEN));
        expect(res.status).toBe(200);
        return res.body.data.permissions as Record<string, boolean>;
      };
      await expect(permissions()).resolves.toEqual({
        overview: true,
        overviewSecrets: false,
        logs: true,
        events: true,
        istioRead: true,
        scale: false,
        restart: false,
        deletePods: false,
        evict: false,
        cordon: false,
        istioWrite: false,
      });
      // The K8sResources routes under the same identity: reads work, Secrets and writes are refused.
      kubectlOk('admin', [
        'create',
        'deployment',
        'web',
        '-n',
        namespace,
        '--image=registry.example/web:1',
        '--replicas=1',
      ]);
      const resources = `/api/v1/clusters/local/resources`;
      const browse = await t
        .http()
        .get(`${resources}/deployments?namespace=${namespace}`)
        .set(bearer(ADMIN_TOKEN));
      expect([browse.status, JSON.stringify(browse.body.data)]).toEqual([
        200,
        expect.stringContaining('"web"'),
      ]);
      await expect(
        t.http().get(`${resources}/secrets?namespace=${namespace}`).set(bearer(ADMIN_TOKEN)),
      ).resolves.toMatchObject({ body: { code: 'K8S_FORBIDDEN' } });
      const scale = () =>
        t
          .http()
          .put(`${resources}/deployments/web/scale?namespace=${namespace}`)
          .set(bearer(ADMIN_TOKEN))
          .send({ replicas: 2 });
      await expect(scale()).resolves.toMatchObject({ body: { code: 'K8S_FORBIDDEN' } });
      await expectReadFeaturesWork(t);
      applyRbac(['--set', 'rbac.secrets=true', ...allWrites()]);
      await expect(permissions()).resolves.toEqual({
        overview: true,
        overviewSecrets: true,
        logs: true,
        events: true,
        istioRead: true,
        scale: true,
        restart: true,
        deletePods: true,
        evict: true,
        cordon: true,
        istioWrite: true,
      });
      await expect(scale()).resolves.toMatchObject({ status: 200 });
      expect(
        kubectlOk('admin', [
          'get',
          'deployment',
          'web',
          '-n',
          namespace,
          '-o',
          'jsonpath={.spec.replicas}',
        ]),
      ).toBe('2');
    } finally {
      await t.close();
    }
  }, 180_000);
});

/**
 * Overview, node and namespace details, logs and Istio reads under the chart's read-only identity;
 * Secrets are reported forbidden in the overview and pod deletion is refused.
 */
async function expectReadFeaturesWork(t: Awaited<ReturnType<typeof startTestApp>>): Promise<void> {
  const api = (path: string) =>
    t.http().get(`/api/v1/clusters/local${path}`).set(bearer(ADMIN_TOKEN));
  const overview = await api('/overview');
  expect(overview.status).toBe(200);
  expect(overview.body.data).toMatchObject({
    state: 'synced',
    cache: {
      secrets: { state: 'forbidden' },
      pods: { state: 'synced' },
      nodes: { state: 'synced' },
    },
    counts: { secrets: null },
  });
  expect(overview.body.data.nodes.total).toBeGreaterThan(0);
  const namespaces = await api('/namespaces');
  expect(namespaces.body.data.items.map((n: { name: string }) => n.name)).toContain(namespace);
  const nodes = await api('/nodes');
  const [node] = nodes.body.data.items;
  await expect(api(`/nodes/${node.name}`)).resolves.toMatchObject({
    status: 200,
    body: { data: { name: node.name } },
  });

  // The chart's namespace enforces the restricted Pod Security profile: the logged pod lives elsewhere.
  const logged = createNamespace('helm-logs');
  const logFile = join(tmp, 'chart.log');
  writeFileSync(logFile, '2026-11-01T10:00:00Z stdout F read by the chart identity\n');
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterLogs',
      metadata: { name: `${logged}-logs` },
      spec: { selector: { matchNamespaces: [logged] }, logs: [{ logsFile: logFile }] },
    }),
  });
  try {
    kubectlOk('admin', ['run', 'app', '-n', logged, '--image=registry.example/app:1']);
    kubectlOk('admin', ['wait', '-n', logged, '--for=condition=Ready', 'pod/app', '--timeout=60s']);
    let logs: string | undefined;
    for (let i = 0; i < 60 && !logs?.includes('read by the chart identity'); i += 1) {
      logs = (await api(`/pods/app/logs?namespace=${logged}`)).body.data?.text;
      if (!logs?.includes('read by the chart identity'))
        await new Promise((r) => setTimeout(r, 500));
    }
    expect(logs).toContain('read by the chart identity');
    const deletion = await t
      .http()
      .delete(`/api/v1/clusters/local/resources/pods/app?namespace=${logged}`)
      .set(bearer(ADMIN_TOKEN));
    expect(deletion.body.code).toBe('K8S_FORBIDDEN');
  } finally {
    kubectl('admin', ['delete', 'clusterlogs', `${logged}-logs`, '--ignore-not-found']);
    deleteNamespace(logged);
  }

  await expect(api(`/istio/virtual-services?namespace=${namespace}`)).resolves.toMatchObject({
    status: 200,
  });
  await expect(api(`/istio/gateways`)).resolves.toMatchObject({ status: 200 });
  const validations = await api(`/istio/validations?namespace=${namespace}`);
  expect(validations.status).toBe(200);
}

describe('helm install and upgrade', () => {
  it('installs (KWOK runs the pod), and an upgrade keeps the generated admin token and encryption key', () => {
    const ns = createNamespace('helm-up');
    const name = `${release}-up`;
    const kube = ['--kubeconfig', testCluster.kubeconfigPath('admin'), '-n', ns];
    const secret = () =>
      kubectlOk('admin', [
        'get',
        'secret',
        `${name}-cloudpilot`,
        '-n',
        ns,
        '-o',
        'jsonpath={.data.admin-token}/{.data.encryption-key}',
      ]);
    try {
      const install = helm(['install', name, CHART, ...kube, '--wait', '--timeout', '60s']);
      expect({ status: install.status, stderr: install.stderr }).toEqual({ status: 0, stderr: '' });
      expect(install.stdout).toContain(
        `kubectl -n ${ns} get secret ${name}-cloudpilot -o jsonpath='{.data.admin-token}'`,
      );
      const before = secret();
      expect(Buffer.from(before.split('/')[1], 'base64').toString()).toMatch(
        /^[A-Za-z0-9+/]{43}=$/,
      );
      const upgrade = helm([
        'upgrade',
        name,
        CHART,
        ...kube,
        '--set',
        'config.log.level=debug',
        '--wait',
        '--timeout',
        '60s',
      ]);
      expect({ status: upgrade.status, stderr: upgrade.stderr }).toEqual({ status: 0, stderr: '' });
      expect(secret()).toBe(before);
    } finally {
      helm(['uninstall', name, ...kube]);
      deleteNamespace(ns);
    }
  }, 150_000);
});

function allWrites(): string[] {
  return ['scale', 'restart', 'deletePods', 'evict', 'cordon', 'istio', 'apply'].flatMap((w) => [
    '--set',
    `rbac.write.${w}=true`,
  ]);
}

/** Applies the chart's ServiceAccount and RBAC for real (the Deployment's pods could not run here). */
function applyRbac(args: string[]): void {
  const { manifests } = render(args, namespace);
  const rbac = manifests.filter((m) =>
    ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(m.kind),
  );
  kubectlOk('admin', ['apply', '-n', namespace, '-f', '-'], {
    input: rbac.map((m) => JSON.stringify(m)).join('\n'),
  });
}
