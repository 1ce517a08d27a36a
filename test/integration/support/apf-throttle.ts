import { randomBytes } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { KubeClient } from '../../../src/kubernetes/kube-client';
import { buildKubeConfig } from '../../../src/kubernetes/kubeconfig-builder';
import { parseUntrustedKubeconfig } from '../../../src/kubernetes/kubeconfig-guard';
import { kubeconfigText } from './cloudpilot-app';

/**
 * Makes the real kube-apiserver throttle one ServiceAccount with API Priority and Fairness, so
 * CloudPilot's adapter meets genuine 429 + Retry-After answers, never a mocked HTTP layer.
 *
 * The identity's requests for ConfigMaps of one namespace go to a priority level with no
 * concurrency of its own (nominalConcurrencyShares 0, no borrowing) that rejects instead of
 * queueing. Such a level still admits one request while it runs nothing, so a SeatHolder (a POST
 * whose body is sent only in part, which keeps its handler, hence its seat, busy) is opened first:
 * from then on, every request of the identity in that namespace is answered 429 with a Retry-After,
 * until the holders are released.
 * https://kubernetes.io/docs/concepts/cluster-administration/flow-control/
 */
export class ApfThrottle {
  /** Requests of our own probes that the server rejected (to tell them from the adapter's). */
  probeRejections = 0;
  private readonly holders: SeatHolder[] = [];

  private constructor(
    readonly namespace: string,
    readonly level: string,
    readonly flowSchema: string,
    private readonly flowSchemaUid: string,
    readonly token: string,
    private readonly admin: KubeClient,
  ) {}

  /** Creates the ServiceAccount, its rights, the priority level and the flow schema in `namespace`. */
  static async create(admin: KubeClient, namespace: string): Promise<ApfThrottle> {
    const suffix = randomBytes(3).toString('hex');
    const sa = 'throttled';
    const level = `cloudpilot-test-reject-${suffix}`;
    const flowSchema = `cloudpilot-test-throttled-${suffix}`;
    const post = (path: string, body: Record<string, unknown>) =>
      admin.request<Record<string, any>>({ method: 'POST', path, body });
    await post(`/api/v1/namespaces/${namespace}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: sa },
    });
    const subjects = [{ kind: 'ServiceAccount', name: sa, namespace }];
    await post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'throttled-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects,
    });
    await post('/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations', {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'PriorityLevelConfiguration',
      metadata: { name: level },
      spec: {
        type: 'Limited',
        limited: {
          nominalConcurrencyShares: 0,
          lendablePercent: 0,
          borrowingLimitPercent: 0,
          limitResponse: { type: 'Reject' },
        },
      },
    });
    const schema = await post('/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas', {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'FlowSchema',
      metadata: { name: flowSchema },
      spec: {
        priorityLevelConfiguration: { name: level },
        // Before the built-in service-accounts schema (9000), after the system ones.
        matchingPrecedence: 500,
        distinguisherMethod: { type: 'ByUser' },
        rules: [
          {
            subjects: [{ kind: 'ServiceAccount', serviceAccount: { name: sa, namespace } }],
            resourceRules: [
              { verbs: ['*'], apiGroups: [''], resources: ['configmaps'], namespaces: [namespace] },
            ],
          },
        ],
      },
    });
    const token = await post(`/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    const throttle = new ApfThrottle(
      namespace,
      level,
      flowSchema,
      String(schema.metadata.uid),
      String(token.status.token),
      admin,
    );
    await throttle.untilClassified();
    return throttle;
  }

  /** The viewer kubeconfig with this identity's token instead: same server and CA. */
  kubeconfigText(): string {
    const config = JSON.parse(kubeconfigText('viewer')) as { users: { user: unknown }[] };
    config.users[0].user = { token: this.token };
    return JSON.stringify(config);
  }

  /** A KubeClient of the throttled identity, built as the product builds one. */
  client(timeoutMs = 30_000): KubeClient {
    const [ctx] = parseUntrustedKubeconfig(this.kubeconfigText(), {
      allowLoopback: true,
      allowPlainHttpLoopback: false,
      allowInsecureSkipTlsVerify: false,
    });
    return new KubeClient('throttled', buildKubeConfig('throttled', ctx.connection), timeoutMs);
  }

  /** Occupies the level: afterwards every request of the identity in the namespace gets 429. */
  async hold(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      // One holder is enough for a level of zero seats; a server that grants it some gets more.
      this.holders.push(this.openHolder());
      for (let i = 0; i < 10; i++) {
        if ((await this.probe()).statusCode === 429) return;
        await sleep(100);
      }
    }
    throw new Error(`priority level ${this.level} never rejected a request`);
  }

  /** Lets the held requests finish (each creates its ConfigMap); the level is free again. */
  async release(): Promise<void> {
    const holders = this.holders.splice(0);
    const statuses = await Promise.all(holders.map((h) => h.finish()));
    const refused = statuses.filter((s) => s !== 201 && s !== 429);
    if (refused.length) throw new Error(`seat holders ended with ${refused.join(', ')}`);
  }

  /** 429 answers the API server counted for this level (apiserver_flowcontrol metrics). */
  async serverRejections(): Promise<number> {
    const text = await this.admin.requestText({ path: '/metrics' });
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith('apiserver_flowcontrol_rejected_requests_total{')) continue;
      if (!line.includes(`priority_level="${this.level}"`)) continue;
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  async delete(): Promise<void> {
    const base = '/apis/flowcontrol.apiserver.k8s.io/v1';
    await this.release().catch(() => undefined);
    for (const path of [
      `${base}/flowschemas/${this.flowSchema}`,
      `${base}/prioritylevelconfigurations/${this.level}`,
    ])
      await this.admin.request({ method: 'DELETE', path }).catch(() => undefined);
  }

  /** Waits until the API server classifies the identity's requests with our flow schema. */
  private async untilClassified(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const res = await this.probe();
      if (res.headers['x-kubernetes-pf-flowschema-uid'] === this.flowSchemaUid) return;
      await sleep(100);
    }
    throw new Error(`flow schema ${this.flowSchema} was never applied by the API server`);
  }

  /** One plain GET as the identity, outside the adapter under test. */
  private async probe(): Promise<IncomingMessage> {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = this.rawRequest('GET', `/api/v1/namespaces/${this.namespace}/configmaps?limit=1`);
      req.on('response', resolve).on('error', reject).end();
    });
    res.resume();
    if (res.statusCode === 429) this.probeRejections += 1;
    return res;
  }

  private openHolder(): SeatHolder {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `held-${randomBytes(4).toString('hex')}` },
    });
    const req = this.rawRequest('POST', `/api/v1/namespaces/${this.namespace}/configmaps`, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
    });
    return new SeatHolder(req, body);
  }

  private rawRequest(
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): ClientRequest {
    const config = JSON.parse(kubeconfigText('viewer')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    };
    const { server, 'certificate-authority-data': ca } = config.clusters[0].cluster;
    const url = new URL(server);
    return request({
      method,
      host: url.hostname,
      port: url.port,
      path,
      ca: Buffer.from(ca, 'base64'),
      agent: false,
      headers: { Authorization: `Bearer ${this.token}`, ...headers },
    });
  }
}

/**
 * A request whose body is sent in part: the API server runs its handler (holding a seat of the
 * priority level) while the handler waits for the rest of the body.
 */
class SeatHolder {
  private readonly response: Promise<number>;
  private answered = false;

  constructor(
    private readonly req: ClientRequest,
    private readonly body: string,
  ) {
    this.response = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        this.answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    this.response.catch(() => undefined);
    req.flushHeaders();
    req.write(body.slice(0, 10));
  }

  finish(): Promise<number> {
    if (!this.answered) this.req.end(this.body.slice(10));
    return this.response;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
