import { randomBytes } from 'node:crypto';
import { AppError } from '../../src/common/app-error';
import { discover, servedVersionOf } from '../../src/kubernetes/discovery';
import { KINDS, kindKey } from '../../src/kubernetes/kinds';
import { KubeClient } from '../../src/kubernetes/kube-client';
import { buildKubeConfig } from '../../src/kubernetes/kubeconfig-builder';
import { parseUntrustedKubeconfig } from '../../src/kubernetes/kubeconfig-guard';
import { collectionPath, findKind, objectPath } from '../../src/kubernetes/kinds';
import { kubeconfigText } from './support/cloudpilot-app';

function client(role: 'admin' | 'viewer' = 'admin'): KubeClient {
  const [ctx] = parseUntrustedKubeconfig(kubeconfigText(role), {
    allowLoopback: true,
    allowPlainHttpLoopback: false,
    allowInsecureSkipTlsVerify: false,
  });
  return new KubeClient('dev', buildKubeConfig('dev', ctx.connection), 10_000);
}

describe('the Kubernetes adapter against the real API server', () => {
  const namespace = `adapter-${randomBytes(3).toString('hex')}`;
  const configMaps = findKind('configmaps')!;
  const admin = client();

  beforeAll(() =>
    admin.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    }),
  );
  afterAll(() =>
    admin
      .request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` })
      .catch(() => undefined),
  );

  it('discovers the served kinds and the version to use for each', async () => {
    const discovery = await discover(admin);
    expect(discovery.source).toBe('aggregated');
    const byKey = Object.fromEntries(
      KINDS.map((k) => [kindKey(k), servedVersionOf(discovery, k)?.version]),
    );
    expect(byKey).toMatchObject({
      pods: 'v1',
      'deployments.apps': 'v1',
      'gateways.networking.istio.io': 'v1',
      'httproutes.gateway.networking.k8s.io': 'v1',
      'horizontalpodautoscalers.autoscaling': 'v2',
    });
  });

  it('maps the API server answers to stable codes', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'probe' },
      data: { a: '1' },
    };
    await admin.request({
      method: 'POST',
      path: collectionPath(configMaps, 'v1', namespace),
      body,
    });
    await expect(
      admin.request({ method: 'POST', path: collectionPath(configMaps, 'v1', namespace), body }),
    ).rejects.toMatchObject({ code: 'K8S_CONFLICT', status: 409 });
    await expect(
      admin.request({ path: objectPath(configMaps, 'v1', 'absent', namespace) }),
    ).rejects.toMatchObject({ code: 'K8S_NOT_FOUND', status: 404 });
    const invalid = admin.request({
      method: 'POST',
      path: collectionPath(configMaps, 'v1', namespace),
      body: { ...body, metadata: { name: 'Not_Valid' } },
    });
    await expect(invalid).rejects.toMatchObject({ code: 'K8S_INVALID', status: 422 });
    const stale = admin.request({
      method: 'PUT',
      path: objectPath(configMaps, 'v1', 'probe', namespace),
      body: { ...body, metadata: { name: 'probe', resourceVersion: '1' } },
    });
    await expect(stale).rejects.toMatchObject({ code: 'K8S_CONFLICT' });
  });

  it('maps an RBAC refusal to K8S_FORBIDDEN with the reason, not a 500', async () => {
    const error = await client('viewer')
      .request({ path: collectionPath(findKind('secrets')!, 'v1', namespace) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'K8S_FORBIDDEN', status: 403 });
    expect((error as AppError).message).toMatch(/forbidden/);
  });
});
