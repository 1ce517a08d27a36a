import { CoreV1Api } from '@kubernetes/client-node';
import { ClusterConnection, ConnectionPolicy } from '../../src/kubernetes/cluster-connection';
import type { ConfigProvider } from '../../src/config/config.provider';
import { KubeClient } from '../../src/kubernetes/kube-client';
import { KubeClientPool } from '../../src/kubernetes/kube-client.pool';
import { buildKubeConfig } from '../../src/kubernetes/kubeconfig-builder';
import { parseUntrustedKubeconfig } from '../../src/kubernetes/kubeconfig-guard';
import { ResolvedAddressGuard } from '../../src/kubernetes/resolved-address-guard';
import { kubeconfigText } from './support/cloudpilot-app';
import { CountingProxy } from './support/counting-proxy';
import { LoopbackDns } from './support/loopback-dns';

const policy: ConnectionPolicy = {
  allowLoopback: true,
  allowPlainHttpLoopback: false,
  allowInsecureSkipTlsVerify: false,
};

/** The admin connection of the test cluster, pointed at another server URL. */
function adminVia(server: string, tlsServerName?: string): ClusterConnection {
  const [ctx] = parseUntrustedKubeconfig(kubeconfigText('admin'), policy);
  return { ...ctx.connection, server, tlsServerName };
}

const CONCURRENT = 30;

describe("the adapter's connections to an API server", () => {
  let proxy: CountingProxy;
  const clients: KubeClient[] = [];

  beforeEach(async () => {
    const [ctx] = parseUntrustedKubeconfig(kubeconfigText('admin'), policy);
    proxy = await CountingProxy.start(ctx.connection.server);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await proxy.close();
  });

  function client(connection: ClusterConnection, guard?: ResolvedAddressGuard): KubeClient {
    const made = new KubeClient('dev', buildKubeConfig('dev', connection), 10_000, guard);
    clients.push(made);
    return made;
  }

  it(`serves ${CONCURRENT} concurrent discovery requests on one TLS connection, where client-node's own path opens one each`, async () => {
    const connection = adminVia(`https://127.0.0.1:${proxy.port}`);
    // client-node's own request path (what KubeClient used before): a new agent per request.
    const api = buildKubeConfig('dev', connection).makeApiClient(CoreV1Api);
    await Promise.all(Array.from({ length: CONCURRENT }, () => api.getAPIResources()));
    const before = proxy.accepted;

    proxy.accepted = 0;
    const adapter = client(connection);
    await Promise.all(
      Array.from({ length: CONCURRENT }, () => adapter.request({ path: '/api/v1' })),
    );
    const after = proxy.accepted;
    // And the next burst reuses it: no new connection at all.
    await Promise.all(
      Array.from({ length: CONCURRENT }, () => adapter.request({ path: '/api/v1' })),
    );
    process.stdout.write(
      `TLS connections for ${CONCURRENT} concurrent discovery requests: client-node ${before}, KubeClient ${after} (then ${proxy.accepted} after a second burst)\n`,
    );
    expect(before).toBe(CONCURRENT);
    expect(after).toBe(1);
    expect(proxy.accepted).toBe(1);
  });

  it('keeps its connection when a watch is aborted: the next request reuses it at once', async () => {
    const adapter = client(adminVia(`https://127.0.0.1:${proxy.port}`));
    const stream = await adapter.stream({
      path: '/api/v1/namespaces/default/configmaps',
      query: { watch: true, timeoutSeconds: 60 },
    });
    stream.close();
    await adapter.request({ path: '/api/v1/namespaces/default/configmaps' });
    expect(proxy.accepted).toBe(1);
    expect(proxy.open).toBe(1);
  });

  it('closes every pooled connection at shutdown, before the keep-alive timeout would', async () => {
    const config = {
      config: { kubernetes: { requestTimeoutSeconds: 10 } },
    } as unknown as ConfigProvider;
    const pool = new KubeClientPool(config);
    const connection = adminVia(`https://127.0.0.1:${proxy.port}`);
    // Two registrations of one server share an agent: shutdown must let go of both.
    const clients = ['a', 'b'].map((id) => pool.get(id, connection, 'v1', policy));
    await Promise.all(clients.map((c) => c.request({ path: '/api/v1' })));
    expect(proxy.open).toBe(1);
    const started = Date.now();
    await pool.onApplicationShutdown();
    // The relay sees the close a moment later; undici's idle timeout (4 s) would take longer.
    while (proxy.open > 0 && Date.now() - started < 1_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proxy.open).toBe(0);
  });

  describe('against DNS rebinding', () => {
    let dns: LoopbackDns;
    afterEach(() => dns.close());

    it('checks the address each socket actually dials: a rebound answer is refused and never connected', async () => {
      // First answer: loopback, which this policy allows. Every later answer: 0.0.0.0, refused as
      // "unspecified" — and on Linux it reaches this host, so a dial would show up at the proxy.
      dns = await LoopbackDns.start(['127.0.0.1', '0.0.0.0']);
      const guard = new ResolvedAddressGuard(policy, dns.resolver());
      const adapter = client(
        adminVia(`https://rebind.cloudpilot.test:${proxy.port}`, 'localhost'),
        guard,
      );
      await expect(adapter.request({ path: '/version' })).resolves.toMatchObject({
        major: '1',
      });
      expect(proxy.accepted).toBe(1);

      // A new connection (the pooled one closed) resolves again and gets the rebound answer.
      await adapter.close();
      await expect(adapter.request({ path: '/version' })).rejects.toMatchObject({
        code: 'CLUSTER_URL_FORBIDDEN_ADDRESS',
      });
      expect(dns.queries.length).toBeGreaterThanOrEqual(2);
      expect(proxy.accepted).toBe(1);
    });

    it('refuses a name whose only answer is loopback when the policy does not allow loopback', async () => {
      dns = await LoopbackDns.start(['127.0.0.1']);
      const strict = new ResolvedAddressGuard({ ...policy, allowLoopback: false }, dns.resolver());
      const adapter = client(
        adminVia(`https://rebind.cloudpilot.test:${proxy.port}`, 'localhost'),
        strict,
      );
      await expect(adapter.request({ path: '/version' })).rejects.toMatchObject({
        code: 'CLUSTER_URL_LOOPBACK_FORBIDDEN',
      });
      expect(proxy.accepted).toBe(0);
    });
  });
});
