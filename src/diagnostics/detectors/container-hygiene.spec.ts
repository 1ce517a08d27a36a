import { slimCronJob, slimJob } from '../../cluster-state/records/batch';
import { slimServiceAccount } from '../../cluster-state/records/access';
import { imageNotPinned, podSpecHygiene } from '../../cluster-state/records/pod-hygiene';
import { slimPvc } from '../../cluster-state/records/storage';
import { slimWorkload } from '../../cluster-state/records/workload';
import type { Finding } from '../../cluster-state/finding';
import { healthScore } from '../health-score';
import { hygienic, inputOf, pod } from '../testing/diagnostics-builders';
import { podHygiene, workloadHygiene } from './container-hygiene.detector';
import { unusedObjects } from './unused-objects.detector';

const labels = (found: { code: string; object: { kind: string; name: string } }[]) =>
  found.map((f) => `${f.code} ${f.object.kind} ${f.object.name}`).sort();
const codes = (spec: Record<string, any>, longRunning = true) =>
  (podSpecHygiene(spec, longRunning) ?? []).map((i) => `${i.code} ${i.containers.join(',')}`);
const OPTED_OUT = { automountServiceAccountToken: false };

describe('container hygiene of a pod template', () => {
  it('tells latest and untagged images from pinned ones, a registry port from a tag', () => {
    expect(
      ['app', 'app:latest', 'reg:5000/app', 'reg:5000/team/app:latest'].map(imageNotPinned),
    ).toEqual([true, true, true, true]);
    expect(
      ['app:1.2', 'reg:5000/app:1.2', 'app@sha256:abc', 'app:latest@sha256:abc'].map(
        imageNotPinned,
      ),
    ).toEqual([false, false, false, false]);
  });

  it('finds each issue, naming the containers', () => {
    const spec = {
      initContainers: [
        { name: 'setup', image: 'busybox', securityContext: { privileged: true } },
        { name: 'proxy', image: 'proxy:1', restartPolicy: 'Always' },
      ],
      containers: [{ name: 'app', image: 'app:1', securityContext: { runAsUser: 0 } }],
    };
    expect(codes(spec)).toEqual([
      'CONTAINER_IMAGE_NOT_PINNED setup',
      'CONTAINER_NO_PROBES app',
      'CONTAINER_NO_MEMORY_LIMIT proxy,app',
      'CONTAINER_PRIVILEGED setup',
      'CONTAINER_RUNS_AS_ROOT app',
      'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN ',
    ]);
  });

  it('stays silent on the look-alikes: a Job without probes, a CPU limit left out, a container overriding a root pod, no runAsUser (the image decides), an own ServiceAccount', () => {
    const tidy = hygienic('app');
    expect(
      codes({ ...OPTED_OUT, containers: [{ ...tidy, readinessProbe: undefined }] }, false),
    ).toEqual([]);
    expect(
      codes({ ...OPTED_OUT, containers: [{ ...tidy, resources: { limits: { memory: '1Gi' } } }] }),
    ).toEqual([]);
    expect(
      codes({
        ...OPTED_OUT,
        securityContext: { runAsUser: 0 },
        containers: [{ ...tidy, securityContext: { runAsUser: 1000, privileged: false } }],
      }),
    ).toEqual([]);
    expect(codes({ serviceAccountName: 'reporting', containers: [tidy] })).toEqual([]);
  });
});

describe('hygiene findings', () => {
  const template = (spec: Record<string, any>) => ({ template: { spec } });
  const sloppy = { containers: [{ name: 'app', image: 'app:latest' }] };

  it('are raised once per template, on the object a person edits: Deployment, CronJob, a bare Job and pod; not on owned ReplicaSets, Jobs or pods', () => {
    const found = [
      ...workloadHygiene(
        inputOf({
          deployments: [
            slimWorkload({ metadata: { name: 'web', namespace: 'shop' }, spec: template(sloppy) }),
          ],
          replicasets: [
            slimWorkload({
              metadata: {
                name: 'web-1',
                namespace: 'shop',
                ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
              },
              spec: template(sloppy),
            }),
          ],
          statefulsets: [],
          daemonsets: [],
          jobs: [
            slimJob({ metadata: { name: 'once', namespace: 'shop' }, spec: template(sloppy) }),
            slimJob({
              metadata: {
                name: 'nightly-1',
                namespace: 'shop',
                ownerReferences: [{ kind: 'CronJob', name: 'nightly', controller: true }],
              },
              spec: template(sloppy),
            }),
          ],
          cronjobs: [
            slimCronJob({
              metadata: { name: 'nightly', namespace: 'shop' },
              spec: { schedule: '@daily', jobTemplate: { spec: template(sloppy) } },
            }),
          ],
        }),
      ),
      ...podHygiene(
        inputOf({
          pods: [
            pod('bare', { spec: sloppy }),
            pod('web-1-x', { owner: { kind: 'ReplicaSet', name: 'web-1' }, spec: sloppy }),
          ],
        }),
      ),
    ].filter((f) => f.code === 'CONTAINER_IMAGE_NOT_PINNED');
    expect(labels(found)).toEqual([
      'CONTAINER_IMAGE_NOT_PINNED CronJob nightly',
      'CONTAINER_IMAGE_NOT_PINNED Deployment web',
      'CONTAINER_IMAGE_NOT_PINNED Job once',
      'CONTAINER_IMAGE_NOT_PINNED Pod bare',
    ]);
    expect(found.every((f) => f.severity === 'info')).toBe(true);
  });

  it('the default account\u2019s token: reported when the account mounts it, not when the account opts out, not when accounts are not cached', () => {
    const deployment = slimWorkload({
      metadata: { name: 'web', namespace: 'shop' },
      spec: template({ containers: [hygienic('app')] }),
    });
    const token = (accounts?: Record<string, any>[]) =>
      workloadHygiene(
        inputOf({
          deployments: [deployment],
          ...(accounts ? { serviceaccounts: accounts.map(slimServiceAccount) } : {}),
        }),
      ).map((f) => f.code);
    expect(token([{ metadata: { name: 'default', namespace: 'shop' } }])).toEqual([
      'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN',
    ]);
    expect(
      token([
        { metadata: { name: 'default', namespace: 'shop' }, automountServiceAccountToken: false },
      ]),
    ).toEqual([]);
    expect(token()).toEqual([]);
  });

  it('cost no health points: a busy cluster\u2019s hundreds of them must not floor the score', () => {
    const finding = (code: string, severity: Finding['severity']) =>
      ({
        id: code,
        code,
        severity,
        object: { group: '', kind: 'Pod', namespace: 'a', name: 'p' },
      }) as Finding;
    const score = healthScore([
      ...Array.from({ length: 300 }, () => finding('CONTAINER_NO_PROBES', 'info')),
      finding('CONFIGMAP_UNUSED', 'info'),
      finding('NODE_CORDONED', 'info'),
    ]);
    expect(score).toMatchObject({ score: 99, counts: { info: 302 } });
    expect(score.deductions.map((d) => d.code)).toEqual(['NODE_CORDONED']);
  });
});

describe('unused objects (opt-in)', () => {
  it('reports ConfigMaps, Secrets, ServiceAccounts and claims no pod of the namespace uses, not the look-alikes', () => {
    const named = (name: string, namespace = 'shop', labels?: Record<string, string>) => ({
      name,
      namespace,
      labels: labels ?? {},
    });
    const found = unusedObjects(
      inputOf({
        pods: [
          pod('web', {
            spec: {
              serviceAccountName: 'web',
              volumes: [
                { name: 'c', configMap: { name: 'used' } },
                { name: 's', secret: { secretName: 'used' } },
                { name: 'd', persistentVolumeClaim: { claimName: 'used' } },
              ],
            },
          }),
        ],
        configmaps: [
          named('used'),
          named('stale'),
          named('kube-root-ca.crt'),
          named('coredns', 'kube-system'),
        ],
        secrets: [
          named('used'),
          named('stale'),
          named('sh.helm.release.v1.web.v1', 'shop', { owner: 'helm' }),
          named('tls'),
        ],
        ingresses: [{ name: 'web', namespace: 'shop', backends: [], tlsSecrets: ['tls'] }],
        serviceaccounts: [named('web'), named('default'), named('stale')].map((a) => ({
          name: a.name,
          namespace: a.namespace,
        })),
        persistentvolumeclaims: ['used', 'stale', 'data-db-2'].map((name) =>
          slimPvc({ metadata: { name, namespace: 'shop' }, spec: {}, status: {} }),
        ),
        statefulsets: [
          slimWorkload({ metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 1 } }),
        ],
      }),
    );
    expect(labels(found)).toEqual([
      'CONFIGMAP_UNUSED ConfigMap stale',
      'PVC_UNUSED PersistentVolumeClaim stale',
      'SECRET_UNUSED Secret stale',
      'SERVICE_ACCOUNT_UNUSED ServiceAccount stale',
    ]);
  });
});
