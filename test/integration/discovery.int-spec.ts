import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectl, kubectlOk } from './support/test-cluster';

/** A namespaced CRD of a group no other test uses, so its arrival is what this test observes. */
function crd(group: string): string {
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wdg'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  });
}

describe('one discovery per cluster, refreshed when a CRD appears', () => {
  let t: TestApp;
  let ns: string;
  const group = `d${randomBytes(3).toString('hex')}.cloudpilot.test`;
  const kinds = () => t.http().get('/api/v1/clusters/disc/resources').set(bearer(ADMIN_TOKEN));
  const widgets = () =>
    t
      .http()
      .get(`/api/v1/clusters/disc/resources/widgets.${group}?namespace=${ns}`)
      .set(bearer(ADMIN_TOKEN));

  beforeAll(async () => {
    t = await startServer();
    await register(t, 'disc');
    ns = createNamespace('disc');
  }, 60_000);
  afterAll(async () => {
    kubectl('admin', ['delete', 'crd', `widgets.${group}`, '--wait=false', '--ignore-not-found']);
    deleteNamespace(ns);
    await t.close();
  });

  it('lists every served kind with its preferred version, CRDs included', async () => {
    const res = await kinds();
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(
      res.body.data.map((k: { key: string; version: string }) => [k.key, k.version]),
    );
    expect(byKey).toMatchObject({
      pods: 'v1',
      'deployments.apps': 'v1',
      'virtualservices.networking.istio.io': 'v1',
      'horizontalpodautoscalers.autoscaling': 'v2',
    });
  });

  it('serves a CRD created while CloudPilot runs through the generic route within 10 s', async () => {
    // Discovery is cached first, and the kind is unknown to it.
    expect((await widgets()).body.code).toBe('K8S_NOT_FOUND');
    kubectlOk('admin', ['apply', '-f', '-'], { input: crd(group) });
    kubectlOk('admin', ['wait', '--for=condition=Established', `crd/widgets.${group}`]);
    const created = Date.now();
    kubectlOk('admin', ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: `${group}/v1`,
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { size: 3 },
      }),
    });
    let res = await widgets();
    while (res.status !== 200 && Date.now() - created < 10_000) {
      await new Promise((r) => setTimeout(r, 250));
      res = await widgets();
    }
    const elapsed = Date.now() - created;
    expect([res.status, res.body.data?.items?.map((i: any) => i.metadata.name)]).toEqual([
      200,
      ['w1'],
    ]);
    expect(elapsed).toBeLessThan(10_000);
    // The short name comes from the same discovery.
    const short = await t
      .http()
      .get(`/api/v1/clusters/disc/resources/wdg?namespace=${ns}`)
      .set(bearer(ADMIN_TOKEN));
    expect(short.body.data.kind).toBe('Widget');
  });
});
