import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, eventually, kubectlOk } from './support/test-cluster';

function warning(ns: string, name: string, pod: string, count: number): string {
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: { kind: 'Pod', name: pod, namespace: ns, apiVersion: 'v1' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container app',
    count,
    firstTimestamp: at,
    lastTimestamp: at,
    source: { component: 'kubelet' },
  });
}

describe('events through the API', () => {
  let t: TestApp;
  let ns: string;
  let pod: string;
  const api = (path: string) => t.http().get(`/api/v1/clusters/ev${path}`).set(bearer(ADMIN_TOKEN));

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'ev');
    ns = createNamespace('events');
    kubectlOk('admin', [
      'create',
      'deployment',
      'web',
      '-n',
      ns,
      '--image=registry.example/web:1',
      '--replicas=2',
    ]);
    pod = await eventually(
      'two web pods',
      () => {
        const names = JSON.parse(
          kubectlOk('admin', ['get', 'pods', '-n', ns, '-l', 'app=web', '-o', 'json']),
        ).items.map((p: { metadata: { name: string } }) => p.metadata.name);
        return names.length === 2 ? names[0] : undefined;
      },
      { timeoutMs: 60_000 },
    );
    kubectlOk('admin', ['create', '-f', '-'], { input: warning(ns, 'backoff-1', pod, 3) });
    kubectlOk('admin', ['create', '-f', '-'], { input: warning(ns, 'backoff-2', pod, 2) });
    kubectlOk('admin', ['create', '-f', '-'], {
      input: warning(ns, 'elsewhere', 'unrelated-pod', 1),
    });
  }, 120_000);
  afterAll(async () => {
    deleteNamespace(ns);
    await t.close();
  });

  it('lists Warning events newest first with repeats folded into one row', async () => {
    const res = await api(`/events?namespace=${ns}&type=Warning`);
    expect(res.status).toBe(200);
    const rows = res.body.data.items;
    expect(rows.every((r: { type: string }) => r.type === 'Warning')).toBe(true);
    const backoff = rows.find((r: { object: { name: string } }) => r.object.name === pod);
    expect(backoff).toMatchObject({
      reason: 'BackOff',
      count: 5,
      object: { kind: 'Pod', namespace: ns },
      source: 'kubelet',
    });
    expect(rows.filter((r: { object: { name: string } }) => r.object.name === pod)).toHaveLength(1);
  });

  it('filters by involved object', async () => {
    const res = await api(`/events?namespace=${ns}&involvedKind=Pod&involvedName=unrelated-pod`);
    expect(res.body.data.items.map((r: { object: { name: string } }) => r.object.name)).toEqual([
      'unrelated-pod',
    ]);
  });

  it("gives a Deployment's events together with its ReplicaSet's and Pods', and not others'", async () => {
    let rows: Array<{ object: { kind: string; name: string }; reason: string }> = [];
    for (let i = 0; i < 60; i++) {
      rows = (await api(`/resources/deployments/web/events?namespace=${ns}`)).body.data.items;
      const kinds = new Set(rows.map((r) => r.object.kind));
      if (kinds.has('Deployment') && kinds.has('ReplicaSet') && kinds.has('Pod')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const names = rows.map((r) => r.object.name);
    expect(names).toContain(pod);
    expect(names).not.toContain('unrelated-pod');
    expect(rows.find((r) => r.object.kind === 'Deployment')).toMatchObject({
      reason: 'ScalingReplicaSet',
    });
  });

  it('refuses bad filters with field details', async () => {
    await expect(api('/events?type=Error')).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'type' })] },
    });
    await expect(api('/events?since=yesterday')).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'since' })] },
    });
    await expect(api('/resources/deployments/web/events')).resolves.toMatchObject({
      status: 400,
      body: { details: [expect.objectContaining({ field: 'namespace' })] },
    });
    await expect(
      api(`/resources/deployments/absent/events?namespace=${ns}`),
    ).resolves.toMatchObject({ status: 404, body: { code: 'K8S_NOT_FOUND' } });
  });

  it('honours since', async () => {
    const res = await api(
      `/events?namespace=${ns}&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(res.body.data.items).toEqual([]);
  });
});
