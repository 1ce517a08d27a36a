import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import {
  brokenObjects,
  CausesCases,
  clusterScoped,
  healthyObjects,
} from './support/diagnostics-causes-a-cases';
import { createNamespace, deleteNamespace, kubectl, kubectlOk } from './support/test-cluster';

/**
 * The cause-naming checks of #33 (part A) on the real cluster: each raised by its broken objects,
 * naming the object to change, and none raised by its nearest healthy look-alike, each first shown
 * to be really in its state.
 */

jest.setTimeout(240_000);

const suffix = randomBytes(3).toString('hex');
let app: TestApp;
let clusterId: string;
let cases: CausesCases;

interface FindingJson {
  id: string;
  code: string;
  severity: string;
  message: string;
  object: { kind: string; namespace: string; name: string };
  evidence: { fields: Record<string, unknown>; objects?: string[] };
}

async function findings(): Promise<FindingJson[]> {
  const res = await app
    .http()
    .get(`/api/v1/clusters/${clusterId}/diagnostics?limit=500`)
    .set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`diagnostics: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.items;
}

const label = (f: FindingJson) =>
  `${f.code} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;

async function until(ok: (all: FindingJson[]) => boolean, ms: number): Promise<FindingJson[]> {
  const deadline = Date.now() + ms;
  let all = await findings();
  while (!ok(all) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    all = await findings();
  }
  return all;
}

/** `what` is kubectl's words (`pod web-1`, `endpointslices -l …`); '' namespace: cluster-scoped. */
const get = (namespace: string, what: string, path: string) =>
  kubectlOk('admin', [
    ...(namespace ? ['-n', namespace] : []),
    'get',
    ...what.split(' '),
    '-o',
    `jsonpath=${path}`,
  ]);
const wait = (namespace: string, args: string[]) =>
  kubectlOk('admin', ['-n', namespace, 'wait', '--timeout=90s', ...args]);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Ready pods without an IP, as a broken CNI would report them: the EndpointSlice controller leaves
 * them out, so the Service's slice holds no endpoint. Ready for five minutes, past the grace.
 */
function readyWithoutIp(namespace: string, name: string): void {
  kubectlOk('admin', [
    '-n',
    namespace,
    'wait',
    '--timeout=60s',
    '--for=jsonpath={.spec.nodeName}',
    `pod/${name}`,
  ]);
  const since = iso(Date.now() - 300_000);
  const conditions = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
    type,
    status: 'True',
    lastTransitionTime: since,
  }));
  kubectlOk('admin', [
    '-n',
    namespace,
    'patch',
    'pod',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { phase: 'Running', conditions, startTime: since } }),
  ]);
}

beforeAll(async () => {
  cases = {
    suffix,
    broken: createNamespace('dca-broken'),
    healthy: createNamespace('dca-healthy'),
  };
  const items = [...brokenObjects(cases), ...healthyObjects(cases)];
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  });
  for (const name of ['no-ip-1', 'no-ip-2']) readyWithoutIp(cases.broken, name);
  app = await startServer();
  clusterId = (await register(app, 'causes')).id;
}, 300_000);

afterAll(async () => {
  await app?.close();
  if (!cases) return;
  for (const [kind, names] of Object.entries(clusterScoped(suffix)))
    kubectl('admin', ['delete', kind, ...names, '--ignore-not-found', '--wait=false']);
  deleteNamespace(cases.broken);
  deleteNamespace(cases.healthy);
});

describe('cause-naming diagnostics on the real cluster', () => {
  it('raises each check on its broken objects, naming the object to change', async () => {
    const { broken: b } = cases;
    const s = `dca-${suffix}`;
    const expected = [
      `SERVICE_TARGET_PORT_UNDECLARED Service ${b}/named-port`,
      `SERVICE_TARGET_PORT_UNDECLARED Service ${b}/num-port`,
      `SERVICE_READY_PODS_NO_ENDPOINTS Service ${b}/no-ip`,
      `SERVICE_SINGLE_ENDPOINT Service ${b}/solo`,
      `INGRESS_CLASS_NOT_FOUND Ingress ${b}/wrong-class`,
      `INGRESS_CLASS_MULTIPLE_DEFAULTS IngressClass ${s}-default-a`,
      `STORAGE_CLASS_MULTIPLE_DEFAULTS StorageClass ${s}-default-a`,
      `STATEFULSET_MISSING_SERVICE StatefulSet ${b}/orphan`,
      `STATEFULSET_STORAGE_CLASS_MISSING StatefulSet ${b}/typo-class`,
      `STATEFULSET_STORAGE_CLASS_NO_PROVISIONER StatefulSet ${b}/hand-made`,
      `PV_RELEASED PersistentVolume ${s}-released`,
      `PV_FAILED PersistentVolume ${s}-failed`,
      `PVC_LOST PersistentVolumeClaim ${b}/lost`,
      `RBAC_BINDING_MISSING_ROLE RoleBinding ${b}/dangling`,
      `RBAC_BINDING_MISSING_ROLE ClusterRoleBinding ${s}-gone`,
      `RBAC_BINDING_MISSING_SERVICE_ACCOUNT RoleBinding ${b}/ghost`,
      `POD_MISSING_PULL_SECRET Deployment ${b}/private`,
      `WEBHOOK_NO_READY_ENDPOINTS ValidatingWebhookConfiguration ${s}-strict`,
      `WEBHOOK_NO_READY_ENDPOINTS ValidatingWebhookConfiguration ${s}-lenient`,
      `HPA_TARGET_NO_REQUESTS HorizontalPodAutoscaler ${b}/hungry`,
      `HPA_UNSUPPORTED_TARGET HorizontalPodAutoscaler ${b}/on-daemonset`,
      'HPA_METRICS_API_UNAVAILABLE APIService v1beta1.metrics.k8s.io',
      `PDB_NO_PODS PodDisruptionBudget ${b}/typo`,
      `PDB_MIN_AVAILABLE_ABOVE_REPLICAS PodDisruptionBudget ${b}/greedy`,
    ];
    // The HPA controller acts on its 15 s sync period.
    const all = await until((list) => expected.every((e) => list.map(label).includes(e)), 120_000);
    const seen = all.map(label);
    for (const e of expected) expect([e, seen.includes(e)]).toEqual([e, true]);
    const by = (l: string) => all.find((f) => label(f) === l)!;
    // The object to change, where it is not the finding's own object, leads the evidence objects.
    const causes: [string, string][] = [
      [`INGRESS_CLASS_NOT_FOUND Ingress ${b}/wrong-class`, `IngressClass ${s}-missing`],
      [`STATEFULSET_MISSING_SERVICE StatefulSet ${b}/orphan`, `Service ${b}/orphan-headless`],
      [`STATEFULSET_STORAGE_CLASS_MISSING StatefulSet ${b}/typo-class`, `StorageClass ${s}-nope`],
      [`PVC_LOST PersistentVolumeClaim ${b}/lost`, `PersistentVolume ${s}-vanished`],
      [`RBAC_BINDING_MISSING_ROLE RoleBinding ${b}/dangling`, `Role ${b}/writer`],
      [
        `RBAC_BINDING_MISSING_SERVICE_ACCOUNT RoleBinding ${b}/ghost`,
        `ServiceAccount ${b}/deleted`,
      ],
      [`POD_MISSING_PULL_SECRET Deployment ${b}/private`, `Secret ${b}/registry-creds`],
      [
        `WEBHOOK_NO_READY_ENDPOINTS ValidatingWebhookConfiguration ${s}-strict`,
        `Service ${b}/webhook`,
      ],
      [`HPA_TARGET_NO_REQUESTS HorizontalPodAutoscaler ${b}/hungry`, `Deployment ${b}/hungry`],
    ];
    for (const [finding, cause] of causes)
      expect([finding, by(finding).evidence.objects?.[0]]).toEqual([finding, cause]);
    // The pull failure is told by its cause, not also as a bare symptom.
    expect(seen).not.toContain(`POD_IMAGE_PULL Deployment ${b}/private`);
    expect(
      by(`WEBHOOK_NO_READY_ENDPOINTS ValidatingWebhookConfiguration ${s}-strict`).severity,
    ).toBe('critical');
    expect(
      by(`WEBHOOK_NO_READY_ENDPOINTS ValidatingWebhookConfiguration ${s}-lenient`).severity,
    ).toBe('warning');
    expect(by(`SERVICE_TARGET_PORT_UNDECLARED Service ${b}/named-port`).severity).toBe('critical');
    expect(by(`SERVICE_SINGLE_ENDPOINT Service ${b}/solo`).severity).toBe('info');
    expect(
      by(`STORAGE_CLASS_MULTIPLE_DEFAULTS StorageClass ${s}-default-a`).evidence.objects,
    ).toEqual([`StorageClass ${s}-default-a`, `StorageClass ${s}-default-b`]);
  }, 150_000);

  it('shows the broken objects are in the state they claim', () => {
    const { broken: b } = cases;
    // Ready, with no IP, and left out of a slice that exists.
    expect(
      get(b, 'pod no-ip-1', '{.status.conditions[?(@.type=="Ready")].status} {.status.podIP}'),
    ).toBe('True ');
    const slices = JSON.parse(
      kubectlOk('admin', [
        '-n',
        b,
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=no-ip',
        '-o',
        'json',
      ]),
    ).items;
    expect(slices.length).toBeGreaterThan(0);
    expect(slices.flatMap((e: any) => e.endpoints ?? [])).toEqual([]);
    expect(get('', `pv dca-${suffix}-released`, '{.status.phase}')).toBe('Released');
    expect(get('', `pv dca-${suffix}-failed`, '{.status.phase}')).toBe('Failed');
    expect(get(b, 'pvc lost', '{.status.phase}')).toBe('Lost');
    expect(get(b, 'secret', '{.items[*].metadata.name}')).not.toContain('registry-creds');
  });

  it('raises nothing on the nearest healthy look-alikes, each in its state', async () => {
    const { healthy: h } = cases;
    wait(h, [
      '--for=condition=Available',
      'deployment/bare',
      'deployment/declared',
      'deployment/hook',
      'deployment/sized',
    ]);
    wait(h, ['--for=jsonpath={.status.readyReplicas}=1', 'statefulset/db']);
    wait(h, ['--for=condition=Ready', 'pod/public']);
    wait(h, ['--for=jsonpath={.status.phase}=Bound', 'pvc/data']);
    // A numeric targetPort over pods that declare no port: containerPort is informational.
    expect(get(h, 'deployment bare', '{.spec.template.spec.containers[0].ports}')).toBe('');
    expect(get(h, 'service bare', '{.spec.ports[0].targetPort}')).toBe('9090');
    // One ready pod behind a headless Service; a public image pulled without its absent Secret.
    expect(get(h, 'service db', '{.spec.clusterIP}')).toBe('None');
    expect(get(h, 'pod public', '{.spec.imagePullSecrets[0].name} {.status.phase}')).toBe(
      'absent-creds Running',
    );
    expect(kubectl('admin', ['-n', h, 'get', 'secret', 'absent-creds']).status).not.toBe(0);
    expect(get('', `pv dca-${suffix}-spare`, '{.status.phase}')).toBe('Available');
    // A budget of 1 over 2 running pods allows one eviction; the autoscaled pods request CPU.
    wait(h, ['--for=jsonpath={.status.disruptionsAllowed}=1', 'pdb/fine']);
    expect(
      get(h, 'deployment sized', '{.spec.template.spec.containers[0].resources.requests.cpu}'),
    ).toBe('10m');
    // The served webhook's Service has ready endpoints.
    const ready = get(
      h,
      'endpointslices -l kubernetes.io/service-name=hook',
      '{.items[*].endpoints[*].conditions.ready}',
    );
    expect(ready.split(' ')).toContain('true');
    // Wait for an evaluation that has seen the healthy objects: the broken ones are found by then.
    await until((list) => list.some((f) => f.object.namespace === cases.broken), 30_000);
    const seen = (await findings()).map(label);
    expect(seen.filter((l) => l.includes(` ${h}/`))).toEqual([]);
    expect(seen.join('\n')).not.toContain(`dca-${suffix}-served`);
    expect(seen.join('\n')).not.toContain(`dca-${suffix}-nginx`);
    expect(seen.join('\n')).not.toContain(`dca-${suffix}-spare`);
    expect(seen.join('\n')).not.toContain(`dca-${suffix}-bound`);
    // The API server's default bindings name controller accounts that may not exist: left out.
    expect(seen.filter((l) => l.startsWith('RBAC_') && l.includes('system:'))).toEqual([]);
  });

  it('resolves "several defaults" once one StorageClass is left default', async () => {
    const s = `dca-${suffix}`;
    const finding = `STORAGE_CLASS_MULTIPLE_DEFAULTS StorageClass ${s}-default-a`;
    expect((await findings()).map(label)).toContain(finding);
    kubectlOk('admin', [
      'annotate',
      'storageclass',
      `${s}-default-b`,
      'storageclass.kubernetes.io/is-default-class=false',
      '--overwrite',
    ]);
    const defaults = JSON.parse(
      kubectlOk('admin', ['get', 'storageclass', '-o', 'json']),
    ).items.filter(
      (c: any) =>
        c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
    );
    expect(defaults.map((c: any) => c.metadata.name)).toEqual([`${s}-default-a`]);
    const after = await until((list) => !list.map(label).includes(finding), 5_000);
    expect(after.map(label)).not.toContain(finding);
  });
});
