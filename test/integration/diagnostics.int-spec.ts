import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import {
  caseNames,
  CaseNames,
  caseNodes,
  caseObjects,
  failedRunOf,
} from './support/diagnostics-cases';
import {
  clusterCli,
  createNamespace,
  deleteNamespace,
  kubectl,
  kubectlOk,
  testCluster,
} from './support/test-cluster';

jest.setTimeout(240_000);

const suffix = randomBytes(3).toString('hex');
const PRESSURE_NODE = `dg-${suffix}-pressure`;
const FINE_NODE = `dg-${suffix}-fine`;

let app: TestApp;
let cases: CaseNames;
let istio = false;
let clusterId: string;
let port: number;
const namespaces: string[] = [];

interface FindingJson {
  id: string;
  code: string;
  severity: string;
  count: number;
  message: string;
  object: { group: string; kind: string; namespace: string; name: string };
  evidence: { fields: Record<string, unknown>; events: { reason: string }[]; objects?: string[] };
}

async function get(path: string): Promise<Record<string, any>> {
  const res = await app.http().get(path).set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

async function findings(query = ''): Promise<FindingJson[]> {
  return (await get(`/api/v1/clusters/${clusterId}/diagnostics?limit=500${query}`)).items;
}

const label = (f: FindingJson) =>
  `${f.code} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;

async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(`not reached within ${ms} ms: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

const nodeStatus = {
  capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
};

beforeAll(async () => {
  // The seed (cluster:seed, docs/testing.md) is idempotent and waits until every broken sample
  // shows its fault; a fresh clone's cluster has not been seeded yet, so the suite seeds it.
  const seed = clusterCli(['seed', '--name', testCluster.name], 600_000);
  if (seed.status !== 0) throw new Error(`cluster:seed failed: ${seed.stderr}`);
  kubectlOk('admin', ['get', 'ns', 'broken']);
  for (const [name, fault] of [
    [PRESSURE_NODE, 'MemoryPressure'],
    [FINE_NODE, undefined],
  ] as const)
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          annotations: { 'kwok.x-k8s.io/node': 'fake' },
          labels: { type: 'kwok', ...(fault ? { 'cloudpilot.dev/fault': fault } : {}) },
        },
        spec: { taints: [{ key: 'cloudpilot.dev/test', value: 'diag', effect: 'NoSchedule' }] },
        status: nodeStatus,
      }),
    });
  kubectlOk('admin', [
    'wait',
    '--for=condition=MemoryPressure=True',
    `node/${PRESSURE_NODE}`,
    '--timeout=60s',
  ]);
  kubectlOk('admin', ['wait', '--for=condition=Ready=True', `node/${FINE_NODE}`, '--timeout=60s']);
  // Every other detector's broken objects and healthy look-alikes, applied now so the claims'
  // one-minute grace and the controllers' first reconciles run while the app starts.
  cases = caseNames(suffix, {
    broken: createNamespace('dg-broken'),
    healthy: createNamespace('dg-healthy'),
    quota: createNamespace('dg-quota'),
  });
  namespaces.push(cases.broken, cases.healthy, cases.quota);
  istio = kubectl('admin', ['get', 'crd', 'virtualservices.networking.istio.io']).status === 0;
  const objects = [...caseNodes(cases), ...caseObjects(cases, FINE_NODE)].filter(
    (o) => istio || !o.apiVersion.includes('istio.io'),
  );
  kubectlOk('admin', ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });
  // The pod was admitted with its ServiceAccount; the account going away afterwards is the fault.
  kubectlOk('admin', ['-n', cases.broken, 'delete', 'serviceaccount', 'short-lived']);
  app = await startServer();
  await app.app.listen(0, '127.0.0.1');
  port = ((app.app.getHttpServer() as Server).address() as { port: number }).port;
  clusterId = (await register(app, 'diag')).id;
}, 660_000);

afterAll(async () => {
  await app?.close();
  kubectl('admin', [
    'delete',
    'node',
    PRESSURE_NODE,
    FINE_NODE,
    ...(cases ? Object.values(cases.nodes) : []),
    '--ignore-not-found',
    '--wait=false',
  ]);
  if (cases)
    kubectl('admin', [
      'delete',
      'storageclass',
      ...Object.values(cases.storageClasses),
      '--ignore-not-found',
      '--wait=false',
    ]);
  for (const ns of namespaces) deleteNamespace(ns);
});

describe('diagnostics on the seeded test cluster', () => {
  it('raises each detector on its broken sample, naming the workload a person acts on', async () => {
    const expectedLabels = [
      'POD_CRASH_LOOP Deployment faults/checkout',
      'POD_IMAGE_PULL Pod faults/image-pull',
      'POD_OOM_KILLED Pod faults/oom-killed',
      'POD_FAILED Pod faults/failed',
      'POD_UNSCHEDULABLE Pod faults/unschedulable',
      'POD_NOT_READY Pod broken/stuck-warmup',
      'POD_MISSING_CONFIGMAP Deployment broken/reporting',
      'POD_MISSING_SECRET Deployment broken/reporting',
      'SERVICE_NO_MATCHING_PODS Service broken/web',
      'SERVICE_NO_MATCHING_PODS Service shop/legacy-search',
      'INGRESS_MISSING_SERVICE Ingress broken/storefront',
      'INGRESS_MISSING_TLS_SECRET Ingress broken/storefront',
      'HPA_MISSING_TARGET HorizontalPodAutoscaler broken/search',
      'PDB_BLOCKS_EVICTION PodDisruptionBudget broken/reporting',
      'PVC_NO_STORAGE_CLASS PersistentVolumeClaim broken/archive',
      'NETWORK_POLICY_NO_PODS NetworkPolicy broken/db-ingress',
      'JOB_FAILED Job broken/nightly-export',
      'WEBHOOK_MISSING_SERVICE ValidatingWebhookConfiguration cloudpilot-demo-policy',
      `NODE_PRESSURE Node ${PRESSURE_NODE}`,
      // Causes named (#33): the demo shows a few.
      'INGRESS_CLASS_NOT_FOUND Ingress broken/legacy-admin',
      'RBAC_BINDING_MISSING_ROLE RoleBinding broken/reporting-reader',
      'STATEFULSET_MISSING_SERVICE StatefulSet broken/cache',
    ];
    // On a freshly seeded cluster some faults are not faults yet: a claim is only reported after
    // a minute Pending (provisioning normally takes seconds), so wait out that grace.
    const seen = (
      await eventually(
        () => findings(),
        (all) => expectedLabels.every((e) => all.map(label).includes(e)),
        120_000,
      ).catch(() => findings())
    ).map(label);
    for (const expected of expectedLabels)
      expect([expected, seen.includes(expected)]).toEqual([expected, true]);
  }, 150_000);

  it('raises none on the nearest healthy look-alikes: seeded healthy workloads, a headless StatefulSet Service, a Ready node, a Job\u2019s failed pod', async () => {
    const all = await findings();
    const healthy = all.filter((f) =>
      ['shop', 'payments', 'platform', 'istio-system'].includes(f.object.namespace),
    );
    // legacy-search is the shop's deliberate misconfiguration (a Service with no pod).
    expect(healthy.map(label)).toEqual(['SERVICE_NO_MATCHING_PODS Service shop/legacy-search']);
    const names = all.map(label).join('\n');
    expect(names).not.toContain(FINE_NODE);
    expect(names).not.toMatch(/POD_FAILED Pod broken\/nightly-export/); // reported once, as the Job
    expect(names).not.toContain('reporting-overrides'); // optional reference
  });

  it('groups the crashing pods of a Deployment into one finding with evidence fields and Warning events', async () => {
    // The kubelet-style event of the seed expires after an hour: record a fresh one for a pod.
    const pod = kubectlOk('admin', [
      '-n',
      'faults',
      'get',
      'pods',
      '-l',
      'app=checkout',
      '-o',
      'name',
    ])
      .trim()
      .split('\n')[0]
      .replace('pod/', '');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod}.dg-${suffix}`, namespace: 'faults' },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'faults', name: pod },
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container checkout',
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      }),
    });
    const [checkout] = await eventually(
      () => findings('&code=POD_CRASH_LOOP&namespace=faults'),
      (list) => list[0]?.evidence.events.some((e) => e.reason === 'BackOff'),
      5_000,
    );
    expect(Object.values(checkout.evidence.fields)).toContain('CrashLoopBackOff');
    expect(checkout.evidence.events.map((e) => e.reason)).toContain('BackOff');
    const one = await get(`/api/v1/clusters/${clusterId}/diagnostics/${checkout.id}`);
    expect(one).toMatchObject({
      id: checkout.id,
      firstSeen: expect.any(String),
      suggestion: expect.any(String),
    });
  });

  it('filters by severity and kind, pages, and answers 404/400 envelopes for unknown or malformed ids', async () => {
    const critical = await findings('&severity=critical');
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.every((f) => f.severity === 'critical')).toBe(true);
    expect((await findings('&kind=Ingress')).every((f) => f.object.kind === 'Ingress')).toBe(true);
    const page = await get(`/api/v1/clusters/${clusterId}/diagnostics?limit=2&offset=1`);
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(3);
    const missing = await app
      .http()
      .get(`/api/v1/clusters/${clusterId}/diagnostics/0123456789abcdef`)
      .set(bearer(ADMIN_TOKEN));
    expect([missing.status, missing.body.code]).toEqual([404, 'FINDING_NOT_FOUND']);
    const bad = await app
      .http()
      .get(`/api/v1/clusters/${clusterId}/diagnostics?severity=fatal`)
      .set(bearer(ADMIN_TOKEN));
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('scores the cluster and each namespace, explaining the points lost; the fleet lists the cluster', async () => {
    const health = await get(`/api/v1/clusters/${clusterId}/health`);
    const byName = new Map<string, any>(health.namespaces.map((n: any) => [n.namespace, n]));
    expect(byName.get('payments').score).toBe(100);
    expect(byName.get('broken').score).toBeLessThan(100);
    expect(byName.get('broken').deductions[0]).toMatchObject({ points: 15, severity: 'critical' });
    expect(health.cluster.score).toBe(
      Math.max(0, 100 - health.cluster.deductions.reduce((s: number, d: any) => s + d.points, 0)),
    );
    const fleet = await get('/api/v1/diagnostics');
    expect(fleet.items.find((i: any) => i.cluster.id === clusterId)).toMatchObject({
      data: { score: health.cluster.score, counts: health.cluster.counts },
    });
    // Other tests add crashing workloads of their own: the gauge must count what the list holds.
    const crashing = await findings('&code=POD_CRASH_LOOP&severity=critical');
    const metrics = await app.http().get('/metrics');
    expect(metrics.text).toMatch(
      new RegExp(
        `cloudpilot_diagnostics_findings\\{cluster="${clusterId}",severity="critical",code="POD_CRASH_LOOP"\\} ${crashing.length}`,
      ),
    );
  });

  it('opens a finding for a fault made with kubectl, resolves it within 5 s of the fix, and streams both', async () => {
    const ns = createNamespace('dg');
    namespaces.push(ns);
    const res = await fetch(
      `http://127.0.0.1:${port}/api/v1/clusters/${clusterId}/diagnostics/stream`,
      {
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      },
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (pattern: RegExp, ms: number) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(text)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${pattern} within ${ms} ms`);
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, j) =>
            setTimeout(() => j(new Error(`no ${pattern} in: ${text.slice(-500)}`)), left),
          ),
        ]);
        text += chunk.value ?? '';
      }
    };
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'orphan', namespace: ns },
        spec: { selector: { app: 'nobody' }, ports: [{ port: 80 }] },
      }),
    });
    await readUntil(
      new RegExp(
        `event: opened\\ndata: [^\\n]*"code":"SERVICE_NO_MATCHING_PODS"[^\\n]*"namespace":"${ns}"`,
      ),
      10_000,
    );
    const fixedAt = Date.now();
    kubectlOk('admin', [
      '-n',
      ns,
      'patch',
      'service',
      'orphan',
      '--type=merge',
      '-p',
      '{"spec":{"selector":null}}',
    ]);
    await eventually(
      () => findings(`&namespace=${ns}`),
      (list) => list.length === 0,
      5_000,
    );
    const tookMs = Date.now() - fixedAt;
    await readUntil(new RegExp(`event: resolved\\ndata: [^\\n]*"namespace":"${ns}"`), 5_000);
    process.stdout.write(`diagnostics: fix reflected in ${tookMs} ms\n`);
    expect(tookMs).toBeLessThan(5_000);
    await reader.cancel();
  });
});

describe('every detector on the real cluster, and its nearest healthy look-alikes', () => {
  const wait = (namespace: string, args: string[], timeout = '90s') =>
    kubectlOk('admin', ['-n', namespace, 'wait', `--timeout=${timeout}`, ...args]);

  beforeAll(async () => {
    const { broken, healthy } = cases;
    // A DaemonSet pod running on a node whose new taint its DaemonSet does not tolerate stays
    // (NoSchedule does not evict) and is counted misscheduled by the controller.
    wait(broken, ['--for=jsonpath={.status.numberReady}=1', 'daemonset/misplaced']);
    kubectlOk('admin', [
      'taint',
      'node',
      cases.nodes.daemons,
      'cloudpilot.dev/quarantine=yes:NoSchedule',
    ]);
    // The controller of this Kubernetes version does not recount a DaemonSet when only a node's
    // taints change (seen on the test cluster: numberMisscheduled stayed 0 for minutes); any
    // event of the DaemonSet makes it recount, as its next pod or spec change would.
    kubectlOk('admin', [
      '-n',
      broken,
      'annotate',
      'daemonset/misplaced',
      'cloudpilot.dev/recount=1',
    ]);
    wait(broken, ['--for=jsonpath={.status.numberMisscheduled}=1', 'daemonset/misplaced']);
    // Paused at full availability, with a template change waiting for the resume.
    wait(healthy, ['--for=condition=Available', 'deployment/paused']);
    kubectlOk('admin', ['-n', healthy, 'rollout', 'pause', 'deployment/paused']);
    kubectlOk('admin', [
      '-n',
      healthy,
      'set',
      'image',
      'deployment/paused',
      'app=registry.example/app:2.0',
    ]);
    // CronJob runs, started by hand rather than waiting for a schedule.
    kubectlOk('admin', ['-n', broken, 'create', 'job', 'failing-run', '--from=cronjob/failing']);
    kubectlOk('admin', [
      '-n',
      broken,
      'create',
      'job',
      'paused-run',
      '--from=cronjob/paused-after-failure',
    ]);
    const recovered = JSON.parse(
      kubectlOk('admin', ['-n', healthy, 'get', 'cronjob', 'recovered', '-o', 'json']),
    ).metadata;
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify(failedRunOf(healthy, recovered)),
    });
    wait(healthy, ['--for=condition=Failed', 'job/recovered-first']);
    // Creation times have one-second resolution: the later run must be visibly later.
    const firstCreated = Date.parse(
      kubectlOk('admin', [
        '-n',
        healthy,
        'get',
        'job',
        'recovered-first',
        '-o',
        'jsonpath={.metadata.creationTimestamp}',
      ]),
    );
    while (Date.now() < firstCreated + 1_100) await new Promise((r) => setTimeout(r, 100));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    kubectlOk('admin', [
      '-n',
      healthy,
      'create',
      'job',
      'recovered-second',
      '--from=cronjob/recovered',
    ]);
    wait(healthy, ['--for=condition=Complete', 'job/recovered-second', 'job/done']);
    wait(broken, ['--for=condition=Failed', 'job/failing-run', 'job/paused-run']);
    // The look-alikes are only look-alikes once they run as designed.
    wait(healthy, ['--for=jsonpath={.status.readyReplicas}=2', 'statefulset/db']);
    wait(healthy, ['--for=condition=Available', 'deployment/below-max']);
    wait(healthy, [
      '--for=condition=Ready',
      'pod/sidecar-restarted',
      'pod/migrated',
      'pod/cpu-hungry',
    ]);
  }, 300_000);

  it('raises each detector on its broken objects, naming the object a person acts on', async () => {
    const b = cases.broken;
    const expected = [
      `DEPLOYMENT_ROLLOUT_STUCK Deployment ${b}/rollout-stuck`,
      `DEPLOYMENT_UNAVAILABLE Deployment ${b}/unavailable`,
      `SERVICE_NO_READY_ENDPOINTS Service ${b}/unavailable`,
      `STATEFULSET_UNAVAILABLE StatefulSet ${b}/ledger`,
      `HPA_AT_MAX_REPLICAS HorizontalPodAutoscaler ${b}/scaled`,
      `INGRESS_MISSING_PORT Ingress ${b}/wrong-port`,
      `POD_CONTAINER_CONFIG_ERROR Pod ${b}/config-error`,
      `POD_MISSING_PVC Pod ${b}/missing-claim`,
      `POD_MISSING_SERVICE_ACCOUNT Pod ${b}/orphaned-account`,
      `CONTAINER_NO_REQUESTS Pod ${b}/no-requests`,
      `PVC_NO_MATCHING_PV PersistentVolumeClaim ${b}/no-volume`,
      `PVC_PENDING PersistentVolumeClaim ${b}/never-provisioned`,
      `CRONJOB_FAILING CronJob ${b}/failing`,
      `CRONJOB_SUSPENDED_AFTER_FAILURE CronJob ${b}/paused-after-failure`,
      `DAEMONSET_MISSCHEDULED DaemonSet ${b}/misplaced`,
      `DAEMONSET_UNAVAILABLE DaemonSet ${b}/crashing-agent`,
      `NODE_NOT_READY Node ${cases.nodes.notReady}`,
      `NODE_CORDONED Node ${cases.nodes.cordoned}`,
      `NODE_LIMITS_OVERCOMMITTED Node ${cases.nodes.small}`,
      ...(istio
        ? [
            `ISTIO_VS_GATEWAY_NOT_FOUND VirtualService ${b}/dangling`,
            `ISTIO_VS_DESTINATION_HOST_NOT_FOUND VirtualService ${b}/dangling`,
          ]
        : []),
    ];
    const quotaFailure = new RegExp(`^REPLICASET_CREATE_FAILED ReplicaSet ${cases.quota}/blocked-`);
    // The claims are reported after a minute Pending; the HPA acts on its 15 s sync period.
    const all = await eventually(
      () => findings(),
      (list) => {
        const labels = list.map(label);
        return (
          expected.every((e) => labels.includes(e)) && labels.some((l) => quotaFailure.test(l))
        );
      },
      150_000,
    ).catch(() => findings());
    const seen = all.map(label);
    for (const e of expected) expect([e, seen.includes(e)]).toEqual([e, true]);
    expect(seen.filter((l) => quotaFailure.test(l))).toHaveLength(1);
    // Grouped onto the workload: the crashing DaemonSet pod is its DaemonSet's finding.
    expect(seen).toContain(`POD_CRASH_LOOP DaemonSet ${b}/crashing-agent`);
    // The Service of the seed whose selector matches pods of another namespace says which.
    const web = all.find((f) => label(f) === 'SERVICE_NO_MATCHING_PODS Service broken/web');
    expect(web?.message).toMatch(/only pods in namespace\(s\) .*\bshop\b/);
    expect(web?.evidence.fields.matchingPodsInNamespaces).toContain('shop');
  }, 200_000);

  it('raises nothing on the healthy look-alikes', async () => {
    // They are what they claim: a look-alike that is not one would make this test vacuous.
    const sidecarPod = JSON.parse(
      kubectlOk('admin', ['-n', cases.healthy, 'get', 'pod', 'sidecar-restarted', '-o', 'json']),
    );
    expect(sidecarPod.status.initContainerStatuses[0]).toMatchObject({
      name: 'proxy',
      ready: true,
      restartCount: 1,
      lastState: { terminated: { reason: 'Error' } },
    });
    const restartedAgoMs =
      Date.now() -
      Date.parse(sidecarPod.status.initContainerStatuses[0].lastState.terminated.finishedAt);
    expect(restartedAgoMs).toBeGreaterThan(3_600_000);
    expect(
      kubectlOk('admin', [
        '-n',
        cases.healthy,
        'get',
        'deployment',
        'paused',
        '-o',
        'jsonpath={.spec.paused} {.status.availableReplicas}',
      ]),
    ).toBe('true 2');
    expect(
      kubectlOk('admin', [
        '-n',
        cases.healthy,
        'get',
        'pvc',
        'later',
        '-o',
        'jsonpath={.status.phase}',
      ]),
    ).toBe('Pending');
    const all = await findings();
    const seen = all.map(label);
    // Paused at full availability, ExternalName and headless Services, a WaitForFirstConsumer
    // claim without consumer, a Succeeded Job pod, a CronJob whose latest run succeeded after a
    // failure, a completed init container without requests, a sidecar that restarted once two
    // hours ago and is ready, an HPA below its maximum, an Ingress to existing ports.
    expect(all.filter((f) => f.object.namespace === cases.healthy).map(label)).toEqual([]);
    const b = cases.broken;
    // A rollout within its deadline is unavailable, not stuck.
    expect(seen).not.toContain(`DEPLOYMENT_ROLLOUT_STUCK Deployment ${b}/unavailable`);
    // The misscheduled DaemonSet's pod is available where it runs: not also unavailable.
    expect(seen).not.toContain(`DAEMONSET_UNAVAILABLE DaemonSet ${b}/misplaced`);
    // A cordon of a minute ago is maintenance; CPU limits beyond allocatable only throttle.
    expect(seen.join('\n')).not.toContain(cases.nodes.justCordoned);
    expect(seen.join('\n')).not.toContain(FINE_NODE);
    // A CronJob's failed runs are reported through the CronJob, not as Jobs.
    expect(seen.filter((l) => l.startsWith('JOB_FAILED') && l.includes(b))).toEqual([]);
    // The greedy pods are fine themselves; only their node is overcommitted.
    expect(seen.filter((l) => l.includes(`${b}/greedy-`))).toEqual([]);
  });
});
