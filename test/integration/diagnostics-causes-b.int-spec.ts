import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import {
  brokenB,
  casesB,
  CasesB,
  healthyB,
  nodesB,
  noJobsQuota,
} from './support/diagnostics-cases-b';
import {
  clusterCli,
  createNamespace,
  deleteNamespace,
  kubectl,
  kubectlOk,
  testCluster,
} from './support/test-cluster';

jest.setTimeout(300_000);

interface FindingJson {
  id: string;
  code: string;
  severity: string;
  message: string;
  object: { kind: string; namespace: string; name: string };
  evidence: { fields: Record<string, any> };
}

const HYGIENE = [
  'CONTAINER_IMAGE_NOT_PINNED',
  'CONTAINER_NO_PROBES',
  'CONTAINER_NO_MEMORY_LIMIT',
  'CONTAINER_PRIVILEGED',
  'CONTAINER_RUNS_AS_ROOT',
  'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN',
];

let app: TestApp;
/** The same cluster seen with CONTAINER_NO_PROBES switched off and unused objects switched on. */
let switched: TestApp;
let clusterId: string;
let switchedId: string;
let c: CasesB;

const label = (f: FindingJson) =>
  `${f.code} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;

async function findings(on = app, id = clusterId): Promise<FindingJson[]> {
  const res = await on
    .http()
    .get(`/api/v1/clusters/${id}/diagnostics?limit=500`)
    .set(bearer(ADMIN_TOKEN));
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.items;
}

/** The findings once every expected label is among them (or the last read after the deadline). */
async function findingsWith(expected: string[], ms: number, on = app, id = clusterId) {
  const deadline = Date.now() + ms;
  for (;;) {
    const all = await findings(on, id);
    const seen = all.map(label);
    if (expected.every((e) => seen.includes(e)) || Date.now() > deadline) return all;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const json = (args: string[]) => JSON.parse(kubectlOk('admin', [...args, '-o', 'json']));
const wait = (namespace: string, args: string[], timeout = '120s') =>
  kubectlOk('admin', ['-n', namespace, 'wait', `--timeout=${timeout}`, ...args]);

/**
 * A CronJob that ran once and has missed its runs since: the spec writes, through the status
 * subresource, the lastScheduleTime the CronJob controller writes when it starts a run (as KWOK
 * writes pod status for kubelets). The namespace's quota refuses every Job from then on, so the
 * controller keeps the field and the next run is missed for real.
 */
function markRanOnce(namespace: string, name: string): void {
  const created = json(['-n', namespace, 'get', 'cronjob', name]).metadata.creationTimestamp;
  kubectlOk('admin', [
    '-n',
    namespace,
    'patch',
    'cronjob',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { lastScheduleTime: created } }),
  ]);
}

beforeAll(async () => {
  const seed = clusterCli(['seed', '--name', testCluster.name], 600_000);
  if (seed.status !== 0) throw new Error(`cluster:seed failed: ${seed.stderr}`);
  c = casesB(randomBytes(3).toString('hex'), {
    broken: createNamespace('dgb-broken'),
    healthy: createNamespace('dgb-healthy'),
    noJobs: createNamespace('dgb-nojobs'),
  });
  // The healthy namespace's default account opts out of the token: its pods mount none.
  kubectlOk('admin', [
    '-n',
    c.healthy,
    'patch',
    'serviceaccount',
    'default',
    '-p',
    '{"automountServiceAccountToken":false}',
  ]);
  const apply = (items: object[]) =>
    kubectlOk('admin', ['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    });
  apply([...nodesB(c), noJobsQuota(c)]);
  apply([...brokenB(c), ...healthyB(c)]);
  markRanOnce(c.noJobs, 'stalled');
  app = await startServer();
  switched = await startServer({
    CLOUDPILOT_DIAGNOSTICS_DISABLED_CODES: 'CONTAINER_NO_PROBES',
    CLOUDPILOT_DIAGNOSTICS_UNUSED_OBJECTS: 'true',
  });
  clusterId = (await register(app, 'diag-b')).id;
  switchedId = (await register(switched, 'diag-b-switched')).id;
}, 660_000);

afterAll(async () => {
  await app?.close();
  await switched?.close();
  if (!c) return;
  kubectl('admin', [
    'delete',
    'node',
    ...Object.values(c.nodes),
    '--ignore-not-found',
    '--wait=false',
  ]);
  kubectl('admin', ['delete', 'priorityclass', c.priorityClass.existing, '--ignore-not-found']);
  for (const ns of [c.broken, c.healthy, c.noJobs]) deleteNamespace(ns);
});

describe('diagnostics part B on the real cluster', () => {
  it('the seeded demo shows the new pod states, named correctly, and hygiene on its bare fault pods', async () => {
    const expected = [
      'POD_CRASH_LOOP Pod faults/init-crash',
      'POD_CRASH_LOOP Pod faults/sidecar-crash',
      'POD_EVICTED Pod faults/evicted',
      'CONTAINER_IMAGE_NOT_PINNED Pod faults/image-pull',
    ];
    const all = await findingsWith(expected, 60_000);
    const seen = all.map(label);
    for (const e of expected) expect([e, seen.includes(e)]).toEqual([e, true]);
    const byLabel = new Map(all.map((f) => [label(f), f]));
    expect(byLabel.get('POD_CRASH_LOOP Pod faults/init-crash')?.message).toContain(
      'init container migrate',
    );
    expect(byLabel.get('POD_CRASH_LOOP Pod faults/sidecar-crash')?.message).toContain(
      'sidecar container log-shipper',
    );
  });

  it('raises each check on its broken objects, naming the object that causes it', async () => {
    const b = c.broken;
    const expected = [
      `POD_UNSCHEDULABLE Pod ${b}/too-big`,
      `POD_UNSCHEDULABLE Pod ${b}/wants-orphan`,
      `POD_MISSING_PRIORITY_CLASS Deployment ${b}/no-class`,
      `JOB_DEADLINE_EXCEEDED Job ${b}/slow`,
      `JOB_SUSPENDED Job ${b}/held`,
      `CRONJOB_NEVER_RAN CronJob ${c.noJobs}/never`,
      `CRONJOB_MISSED_SCHEDULES CronJob ${c.noJobs}/stalled`,
      `CRONJOB_STARTING_DEADLINE_TOO_SHORT CronJob ${b}/hasty`,
      `NODE_TAINT_UNTOLERATED Node ${c.nodes.orphan}`,
      `NODE_CONDITION Node ${c.nodes.noRoute}`,
      `NODE_CONDITION Node ${c.nodes.deadlock}`,
      `POD_CRASH_LOOP Pod ${b}/init-crash`,
      `POD_CRASH_LOOP Pod ${b}/sidecar-crash`,
      `POD_RESTARTING Pod ${b}/liveness`,
      `POD_EVICTED Pod ${b}/evicted`,
      ...HYGIENE.map((code) => `${code} Deployment ${b}/sloppy`),
    ];
    // The CronJob is due at the next minute and missed after a minute's grace.
    const all = await findingsWith(expected, 200_000);
    const seen = all.map(label);
    for (const e of expected) expect([e, seen.includes(e)]).toEqual([e, true]);
    const get = (l: string) => all.find((f) => label(f) === l)!;
    expect(get(`POD_UNSCHEDULABLE Pod ${b}/too-big`).evidence.fields.cause).toBe(
      'request-larger-than-any-node',
    );
    expect(get(`POD_UNSCHEDULABLE Pod ${b}/wants-orphan`).evidence.fields).toMatchObject({
      cause: 'untolerated-taint',
      causeObjects: [`Node ${c.nodes.orphan}`],
    });
    expect(
      get(`POD_MISSING_PRIORITY_CLASS Deployment ${b}/no-class`).evidence.fields.causeObjects,
    ).toEqual([`PriorityClass ${c.priorityClass.missing}`]);
    expect(get(`NODE_CONDITION Node ${c.nodes.noRoute}`).message).toContain('NetworkUnavailable');
    expect(get(`POD_RESTARTING Pod ${b}/liveness`).message).toContain('liveness');
    // Each pod state is named once, by the detector that explains it.
    const of = (name: string) => seen.filter((l) => l.endsWith(`Pod ${b}/${name}`));
    expect(of('init-crash')).toEqual([`POD_CRASH_LOOP Pod ${b}/init-crash`]);
    expect(of('sidecar-crash')).toEqual([`POD_CRASH_LOOP Pod ${b}/sidecar-crash`]);
    expect(of('evicted')).toEqual([`POD_EVICTED Pod ${b}/evicted`]);
    expect(of('liveness')).toEqual([`POD_RESTARTING Pod ${b}/liveness`]);
  }, 260_000);

  it('raises nothing on the healthy look-alikes, each first shown to be in its state', async () => {
    const h = c.healthy;
    wait(h, ['--for=condition=Ready', 'pod/fits', 'pod/tolerant', 'pod/liveness-long-ago']);
    expect(json(['-n', h, 'get', 'pod', 'tolerant']).spec.nodeName).toBe(c.nodes.dedicated);
    const restarted = json(['-n', h, 'get', 'pod', 'liveness-long-ago']).status
      .containerStatuses[0];
    expect(restarted.restartCount).toBe(6);
    expect(Date.now() - Date.parse(restarted.lastState.terminated.finishedAt)).toBeGreaterThan(
      3_600_000,
    );
    wait(h, [
      '--for=condition=Available',
      'deployment/classy',
      'deployment/digest',
      'deployment/port-tag',
    ]);
    wait(h, [
      '--for=condition=Available',
      'deployment/cpu-unlimited',
      'deployment/root-overridden',
      'deployment/account-opted-out',
    ]);
    wait(h, ['--for=condition=Complete', 'job/batch-no-probe']);
    expect(json(['-n', h, 'get', 'job', 'queued']).spec.suspend).toBe(true);
    wait(h, ['--for=jsonpath={.status.lastScheduleTime}', 'cronjob/every-minute'], '150s');
    expect(json(['-n', h, 'get', 'serviceaccount', 'default']).automountServiceAccountToken).toBe(
      false,
    );
    const routed = json(['get', 'node', c.nodes.routed]).status.conditions;
    expect(routed).toContainEqual(
      expect.objectContaining({ type: 'NetworkUnavailable', status: 'False' }),
    );
    expect(json(['get', 'node', c.nodes.soft]).spec.taints[0].effect).toBe('PreferNoSchedule');
    // A minute after the CronJob's first run its next one is due: it must have started too.
    await new Promise((r) => setTimeout(r, 20_000));
    const seen = (await findings()).map(label);
    expect(seen.filter((l) => l.includes(` ${h}/`))).toEqual([]);
    for (const node of [c.nodes.dedicated, c.nodes.soft, c.nodes.routed])
      expect(seen.filter((l) => l.endsWith(`Node ${node}`))).toEqual([]);
  }, 260_000);

  it('hygiene findings cost no health points; config switches one code off and unused objects on', async () => {
    const health = await app
      .http()
      .get(`/api/v1/clusters/${clusterId}/health`)
      .set(bearer(ADMIN_TOKEN));
    const broken = health.body.data.namespaces.find((n: any) => n.namespace === c.broken);
    expect(broken.counts.info).toBeGreaterThanOrEqual(HYGIENE.length);
    expect(broken.deductions.filter((d: any) => HYGIENE.includes(d.code))).toEqual([]);
    const b = c.broken;
    const expected = [
      `CONTAINER_IMAGE_NOT_PINNED Deployment ${b}/sloppy`,
      `CONFIGMAP_UNUSED ConfigMap ${b}/leftover`,
    ];
    const seen = (await findingsWith(expected, 60_000, switched, switchedId)).map(label);
    for (const e of expected) expect([e, seen.includes(e)]).toEqual([e, true]);
    expect(seen.filter((l) => l.startsWith('CONTAINER_NO_PROBES'))).toEqual([]);
    expect(seen).not.toContain(`CONFIGMAP_UNUSED ConfigMap ${b}/mounted`);
    expect((await findings()).map(label).filter((l) => l.startsWith('CONFIGMAP_UNUSED'))).toEqual(
      [],
    );
  });
});
