import { randomBytes } from 'node:crypto';
import { AppError } from '../../src/common/app-error';
import { ClusterDiscovery } from '../../src/kubernetes/cluster-discovery';
import { ClusterObjects } from '../../src/kubernetes/cluster-objects';
import { KubeClient } from '../../src/kubernetes/kube-client';
import { buildKubeConfig } from '../../src/kubernetes/kubeconfig-builder';
import { parseUntrustedKubeconfig } from '../../src/kubernetes/kubeconfig-guard';
import { kindOf } from '../../src/kubernetes/kinds';
import { readWatchEvents } from '../../src/kubernetes/watch-stream';
import { kubeconfigText } from './support/cloudpilot-app';

function client(): KubeClient {
  const [ctx] = parseUntrustedKubeconfig(kubeconfigText('admin'), {
    allowLoopback: true,
    allowPlainHttpLoopback: false,
    allowInsecureSkipTlsVerify: false,
  });
  return new KubeClient('dev', buildKubeConfig('dev', ctx.connection), 10_000);
}

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

describe('the cluster object API against the real API server', () => {
  const namespace = `objapi-${randomBytes(3).toString('hex')}`;
  const api = new ClusterObjects(new ClusterDiscovery()).of(client());
  const cm = (name: string) => ({ kind: 'configmaps', namespace, name });

  beforeAll(() =>
    api.create(
      { kind: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    ),
  );
  afterAll(() => api.delete({ kind: 'namespaces', name: namespace }).catch(() => undefined));

  it('creates, reads, patches, replaces and deletes by reference, the kind named any way', async () => {
    await api.create(cm('a'), configMap('a', { x: '1' }));
    await expect(api.get({ ...cm('a'), kind: 'ConfigMap' })).resolves.toMatchObject({
      data: { x: '1' },
    });
    const patched = await api.mergePatch(cm('a'), { data: { y: '2' } });
    expect(patched.data).toEqual({ x: '1', y: '2' });
    expect(patched.metadata?.managedFields?.[0]?.manager).toBe('cloudpilot');
    const replaced = await api.replace({ ...cm('a'), kind: 'cm' }, configMap('a', { z: '3' }));
    expect(replaced.data).toEqual({ z: '3' });
    await api.delete({ ...cm('a'), kind: kindOf('configmaps') });
    await expect(api.get(cm('a'))).rejects.toMatchObject({
      code: 'K8S_NOT_FOUND',
      details: { cluster: 'dev', namespace, name: 'a' },
    });
  });

  it('honours dryRun and resourceVersion on writes', async () => {
    await api.create(cm('dry'), configMap('dry', { x: '1' }), { dryRun: true });
    await expect(api.get(cm('dry'))).rejects.toMatchObject({ code: 'K8S_NOT_FOUND' });
    const created = await api.create(cm('rv'), configMap('rv', { x: '1' }));
    await api.mergePatch(cm('rv'), { data: { x: '2' } });
    await expect(
      api.mergePatch(
        cm('rv'),
        { data: { x: '3' } },
        {
          resourceVersion: created.metadata!.resourceVersion,
        },
      ),
    ).rejects.toMatchObject({ code: 'K8S_CONFLICT' });
    await expect(
      api.delete(cm('rv'), { resourceVersion: created.metadata!.resourceVersion }),
    ).rejects.toMatchObject({ code: 'K8S_CONFLICT' });
  });

  it('server-side applies a manifest at its own version', async () => {
    const kind = { group: '', kind: 'ConfigMap', version: 'v1' };
    const applied = await api.apply({ kind, namespace, name: 'ssa' }, configMap('ssa', { a: '1' }));
    expect(applied.data).toEqual({ a: '1' });
  });

  it('lists page by page and to the end', async () => {
    for (const name of ['l1', 'l2', 'l3'])
      await api.create(cm(name), {
        ...configMap(name, {}),
        metadata: { name, labels: { set: 'l' } },
      });
    const page = await api.list(
      { kind: 'configmaps', namespace },
      { labelSelector: 'set=l', limit: 2 },
    );
    expect(page.items).toHaveLength(2);
    expect(page.continue).not.toBeNull();
    const all = await api.listAll(
      { kind: 'configmaps', namespace },
      { labelSelector: 'set=l', limit: 2 },
    );
    expect(all).toMatchObject({ truncated: false });
    expect(all.items.map((i) => i.metadata?.name).sort()).toEqual(['l1', 'l2', 'l3']);
  });

  it('watches a collection from a resourceVersion', async () => {
    const { resourceVersion } = await api.list({ kind: 'configmaps', namespace });
    const stream = await api.watch(
      { kind: 'configmaps', namespace },
      { resourceVersion: resourceVersion! },
    );
    const seen: string[] = [];
    const read = readWatchEvents('dev', stream, 10_000, (event) => {
      seen.push(`${event.type} ${event.object.metadata?.name}`);
      if (seen.length === 1) stream.close();
    }).catch(() => undefined);
    await api.create(cm('w'), configMap('w', {}));
    await read;
    expect(seen[0]).toBe('ADDED w');
  });

  it('refuses a namespaced object without its namespace, and names what is not served', async () => {
    await expect(api.get({ kind: 'configmaps', name: 'a' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(api.list({ kind: 'widgets.example.com' })).rejects.toMatchObject({
      code: 'K8S_NOT_FOUND',
    });
    await expect(
      api.resolve({ kind: 'Widget', group: 'example.com' }).catch((e: AppError) => e.message),
    ).resolves.toBe('This cluster serves no Widget in group "example.com"');
  });
});
