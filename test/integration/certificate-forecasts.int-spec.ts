import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterSnapshots } from '../../src/monitor/cluster-snapshot';
import { ADMIN_TOKEN, bearer, register, startServer, TestApp } from './support/cloudpilot-app';
import { createNamespace, deleteNamespace, kubectlOk, until } from './support/test-cluster';

const DAY = 86_400_000;

/** The part of cert-manager's Certificate CRD CloudPilot reads; enough for the API server to serve it. */
const CERTIFICATE_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'certificates.cert-manager.io' },
  spec: {
    group: 'cert-manager.io',
    names: {
      kind: 'Certificate',
      listKind: 'CertificateList',
      plural: 'certificates',
      singular: 'certificate',
    },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    ],
  },
};

interface Forecast {
  code: string;
  scope: string;
  namespace: string | null;
  name: string | null;
  crossesAt: string;
  confidence: number;
  current: number;
  reason: string | null;
  certificate?: {
    source: string;
    notAfter: string;
    dnsNames: string[];
    renewalTime: string | null;
  };
}

/** A throwaway self-signed certificate valid for `days`, made by openssl; returns file paths. */
function selfSigned(dir: string, name: string, days: number) {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', key, '-out', cert, '-days', String(days)],
      ...['-subj', `/CN=${name}.example`, '-addext', `subjectAltName=DNS:${name}.example`],
    ],
    { stdio: 'ignore' },
  );
  const notAfter = execFileSync('openssl', ['x509', '-noout', '-enddate', '-in', cert], {
    encoding: 'utf8',
  });
  return { cert, key, notAfter: Date.parse(notAfter.trim().replace('notAfter=', '')) };
}

describe('certificate expiry forecasts (real cluster)', () => {
  let withSecrets: TestApp;
  let withoutSecrets: TestApp;
  let ns: string;
  let dir: string;
  let soon: ReturnType<typeof selfSigned>;
  const ids = new Map<TestApp, string>();

  const forecasts = async (t: TestApp): Promise<Forecast[]> => {
    const res = await t
      .http()
      .get(`/api/v1/clusters/${ids.get(t)}/forecasts?horizonDays=30`)
      .set(bearer(ADMIN_TOKEN));
    expect(res.status).toBe(200);
    return (res.body.data.items as Forecast[]).filter((f) => f.namespace === ns);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-certs-'));
    ns = createNamespace('certs');
    kubectlOk('admin', ['apply', '-f', '-'], { input: JSON.stringify(CERTIFICATE_CRD) });
    kubectlOk('admin', [
      'wait',
      '--for=condition=Established',
      'crd/certificates.cert-manager.io',
      '--timeout=30s',
    ]);
    soon = selfSigned(dir, 'soon', 10);
    const urgent = selfSigned(dir, 'urgent', 2);
    const far = selfSigned(dir, 'far', 400);
    const managed = selfSigned(dir, 'managed', 20);
    for (const [name, c] of [
      ['urgent-tls', urgent],
      ['soon-tls', soon],
      ['far-tls', far],
      ['managed-tls', managed],
    ] as const)
      kubectlOk('admin', [
        'create',
        'secret',
        'tls',
        name,
        '-n',
        ns,
        `--cert=${c.cert}`,
        `--key=${c.key}`,
      ]);
    // cert-manager's view of managed-tls: Ready, renewal planned in 5 days.
    kubectlOk('admin', ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'managed' },
        spec: {
          secretName: 'managed-tls',
          dnsNames: ['managed.example'],
          issuerRef: { name: 'ca' },
        },
      }),
    });
    const status = {
      status: {
        notBefore: new Date(Date.now() - DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
        notAfter: new Date(managed.notAfter).toISOString().replace(/\.\d+Z$/, 'Z'),
        renewalTime: new Date(Date.now() + 5 * DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
        conditions: [{ type: 'Ready', status: 'True', reason: 'Ready' }],
      },
    };
    kubectlOk('admin', [
      ...['patch', 'certificate', 'managed', '-n', ns, '--subresource=status', '--type=merge'],
      ...['-p', JSON.stringify(status)],
    ]);
    // A short tick, so the Certificate kind (a CRD) is picked up soon after it is served.
    const tick = { CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS: '5' };
    withSecrets = await startServer({
      ...tick,
      CLOUDPILOT_MONITOR_TLS_SECRET_CERTIFICATES: 'true',
    });
    withoutSecrets = await startServer(tick);
    ids.set(withSecrets, (await register(withSecrets, 'certs-opt-in')).id);
    ids.set(withoutSecrets, (await register(withoutSecrets, 'certs-default')).id);
  });

  afterAll(async () => {
    deleteNamespace(ns);
    rmSync(dir, { recursive: true, force: true });
    await withSecrets?.close();
    await withoutSecrets?.close();
    // The CRD stays: other suites' CloudPilots may be caching it, and it costs nothing.
  });

  it('forecasts expiry from tls.crt when opted in, and from cert-manager without Secret data', async () => {
    // The Secrets' forecasts can come before the Certificate kind (a CRD, resolved by discovery
    // after the built-in kinds, which this wave made more of) is cached: wait for both sources.
    const items = await until('both certificate forecasts', async () => {
      const all = await forecasts(withSecrets);
      const fromCertManager = all.some((f) => f.name?.startsWith('Certificate/'));
      return all.length >= 3 && fromCertManager ? all : undefined;
    });
    expect(items.map((f) => f.name)).toEqual([
      'Secret/urgent-tls',
      'Secret/soon-tls',
      'Certificate/managed',
    ]);
    const [, secret, certificate] = items;
    expect(secret).toMatchObject({
      code: 'FORECAST_CERTIFICATE_EXPIRY',
      scope: 'certificate',
      confidence: 1,
      reason: null,
      certificate: { source: 'secret', dnsNames: ['soon.example'] },
    });
    // The crossing is the certificate's own notAfter, to the second openssl prints.
    expect(Date.parse(secret.crossesAt)).toBe(soon.notAfter);
    expect(secret.current).toBeGreaterThan(9.9);
    expect(secret.current).toBeLessThanOrEqual(10);
    // Ready with a planned renewal: the expiry is unlikely, and the managed Secret is not repeated.
    expect(certificate).toMatchObject({
      confidence: 0.2,
      certificate: { source: 'cert-manager', dnsNames: ['managed.example'] },
    });
  });

  it('makes a certificate expiring within the findings horizon a diagnostics finding', async () => {
    // forecasts.findingHorizonDays is 7 by default: urgent-tls (2 days) is in, soon-tls (10) is not.
    const findings = await until('the certificate finding', async () => {
      const res = await withSecrets
        .http()
        .get(
          `/api/v1/clusters/${ids.get(withSecrets)}/diagnostics?code=FORECAST_CERTIFICATE_EXPIRY&namespace=${ns}`,
        )
        .set(bearer(ADMIN_TOKEN));
      expect(res.status).toBe(200);
      const items = res.body.data.items as Array<{
        object: { kind: string; name: string };
        severity: string;
      }>;
      return items.length > 0 ? items : undefined;
    });
    expect(findings.map((f) => [f.object.kind, f.object.name, f.severity])).toEqual([
      ['Secret', 'urgent-tls', 'warning'],
    ]);
  });

  it('never reads Secret data by default: only cert-manager forecasts', async () => {
    const items = await until('the cert-manager forecast', async () => {
      const all = await forecasts(withoutSecrets);
      return all.length >= 1 ? all : undefined;
    });
    expect(items.map((f) => f.name)).toEqual(['Certificate/managed']);
    const snapshotOf = async (t: TestApp) => t.app.get(ClusterSnapshots).forCluster(ids.get(t)!);
    expect((await snapshotOf(withoutSecrets)).caches('tlsSecretCertificates')).toBe(false);
    expect((await snapshotOf(withSecrets)).caches('tlsSecretCertificates')).toBe(true);
  });

  it('answers a certificate renewed in place with its new date', async () => {
    const renewed = selfSigned(dir, 'renewed', 25);
    const secretArgs = ['secret', 'tls', 'soon-tls', '-n', ns];
    const files = [`--cert=${renewed.cert}`, `--key=${renewed.key}`];
    const manifest = kubectlOk('admin', [
      ...['create', ...secretArgs, ...files, '--dry-run=client', '-o', 'json'],
    ]);
    kubectlOk('admin', ['apply', '-f', '-'], { input: manifest });
    const secret = await until('the renewed date', async () => {
      const f = (await forecasts(withSecrets)).find((x) => x.name === 'Secret/soon-tls');
      return f && Date.parse(f.crossesAt) === renewed.notAfter ? f : undefined;
    });
    expect(secret.current).toBeGreaterThan(24.9);
  });
});
