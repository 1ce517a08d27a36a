import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GROUP_VERSION = 'custom.metrics.k8s.io/v1beta1';

/**
 * A custom-metrics adapter on loopback, as prometheus-adapter serves one: the API discovery of
 * `custom.metrics.k8s.io/v1beta1` and a per-pod metric, answered for the pods a test names and for
 * no other (what an adapter whose query selects nothing answers: an empty list). The test cluster's
 * kube-apiserver reaches it through an APIService whose Service is an ExternalName `localhost`,
 * so the HPA controller reads it like any adapter, over the aggregation layer.
 */
export class MetricsAdapter {
  /** Pod names per namespace the metric is served for, with its value. */
  readonly served = new Map<string, { pods: string[]; value: string }>();
  /** The metric requests the aggregation layer forwarded, by namespace. */
  readonly asked = new Map<string, number>();
  /** Every path asked, for the failure message of a test that never saw the API available. */
  readonly requests: string[] = [];
  private server: Server | undefined;
  private dir: string | undefined;

  constructor(readonly metric: string) {}

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async up(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'metrics-adapter-'));
    const [key, cert] = [join(this.dir, 'tls.key'), join(this.dir, 'tls.crt')];
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'],
      ],
      { stdio: 'ignore' },
    );
    this.server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      // client-go escapes the pod wildcard: …/pods/%2A/<metric>.
      const path = decodeURIComponent(new URL(req.url ?? '/', 'https://localhost').pathname);
      this.requests.push(path);
      const body = this.answer(path);
      res
        .writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(body ?? { kind: 'Status', status: 'Failure', code: 404 }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** The Service and APIService that put this adapter behind the API server. */
  manifests(namespace: string): object[] {
    return [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { namespace, name: 'custom-metrics' },
        spec: { type: 'ExternalName', externalName: 'localhost' },
      },
      {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'v1beta1.custom.metrics.k8s.io' },
        spec: {
          group: 'custom.metrics.k8s.io',
          version: 'v1beta1',
          service: { namespace, name: 'custom-metrics', port: this.port },
          insecureSkipTLSVerify: true,
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
      },
    ];
  }

  private answer(path: string): object | undefined {
    const base = `/apis/${GROUP_VERSION}`;
    if (path === base)
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: GROUP_VERSION,
        resources: [
          {
            name: `pods/${this.metric}`,
            singularName: '',
            namespaced: true,
            kind: 'MetricValueList',
            verbs: ['get'],
          },
        ],
      };
    const m = path.match(
      /^\/apis\/custom\.metrics\.k8s\.io\/v1beta1\/namespaces\/([^/]+)\/pods\/\*\/(.+)$/,
    );
    if (!m || m[2] !== this.metric) return undefined;
    this.asked.set(m[1], (this.asked.get(m[1]) ?? 0) + 1);
    const served = this.served.get(m[1]);
    return {
      kind: 'MetricValueList',
      apiVersion: GROUP_VERSION,
      metadata: {},
      items: (served?.pods ?? []).map((name) => ({
        describedObject: { kind: 'Pod', namespace: m[1], name, apiVersion: '/v1' },
        metricName: this.metric,
        timestamp: new Date().toISOString(),
        value: served!.value,
      })),
    };
  }
}
