import { slimHpa, slimPdb } from '../../cluster-state/records/policy';
import { slimWorkload } from '../../cluster-state/records/workload';
import { inputOf, pod } from '../testing/diagnostics-builders';
import { hpas } from './hpa.detector';
import { metricsApis } from './metrics-apis.detector';
import { pdbs } from './pdb.detector';

const hpa = (name: string, target: Record<string, string>, status: Record<string, any> = {}) =>
  slimHpa({
    metadata: { name, namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', ...target },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    },
    status: { currentReplicas: 1, desiredReplicas: 1, ...status },
  });
const rs = (name: string, deployment: string) =>
  slimWorkload({
    metadata: {
      name,
      namespace: 'shop',
      ownerReferences: [{ kind: 'Deployment', name: deployment, controller: true }],
    },
    spec: { replicas: 1 },
    status: {},
  });
const podOf = (name: string, replicaSet: string, requests?: Record<string, string>) =>
  pod(name, {
    owner: { kind: 'ReplicaSet', name: replicaSet },
    spec: { containers: [{ name: 'app', ...(requests ? { resources: { requests } } : {}) }] },
  });
const inactive = (reason: string, message: string) => ({
  conditions: [{ type: 'ScalingActive', status: 'False', reason, message }],
});

describe('HPAs that cannot scale', () => {
  it('name the cause first: an unscalable target kind, target pods without the requested resource, then ScalingActive=False with its reason', () => {
    const found = hpas(
      inputOf({
        deployments: [
          slimWorkload({ metadata: { name: 'web', namespace: 'shop' }, spec: {}, status: {} }),
          slimWorkload({ metadata: { name: 'api', namespace: 'shop' }, spec: {}, status: {} }),
        ],
        replicasets: [rs('web-1', 'web'), rs('api-1', 'api')],
        pods: [podOf('web-1-a', 'web-1'), podOf('api-1-a', 'api-1', { cpu: '100m' })],
        horizontalpodautoscalers: [
          hpa('agents', { kind: 'DaemonSet', name: 'agents' }),
          hpa(
            'web',
            { kind: 'Deployment', name: 'web' },
            inactive('FailedGetResourceMetric', 'missing request for cpu'),
          ),
          hpa(
            'api',
            { kind: 'Deployment', name: 'api' },
            inactive('FailedGetResourceMetric', 'unable to fetch metrics'),
          ),
        ],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name} ${f.causes ?? ''}`)).toEqual([
      'HPA_UNSUPPORTED_TARGET agents ',
      'HPA_TARGET_NO_REQUESTS web Deployment shop/web',
      'HPA_METRICS_UNAVAILABLE api ',
    ]);
    expect(found[2].fields['status.conditions[type=ScalingActive].reason']).toBe(
      'FailedGetResourceMetric',
    );
  });

  it('stay silent on an HPA whose pods request what it measures, on a custom resource target, and on one paused by a target scaled to zero', () => {
    const found = hpas(
      inputOf({
        deployments: [
          slimWorkload({ metadata: { name: 'api', namespace: 'shop' }, spec: {}, status: {} }),
        ],
        replicasets: [rs('api-1', 'api')],
        pods: [podOf('api-1-a', 'api-1', { cpu: '100m' })],
        horizontalpodautoscalers: [
          hpa('api', { kind: 'Deployment', name: 'api' }),
          hpa('rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r' }),
          // Paused on purpose: its target was scaled to zero.
          hpa(
            'paused',
            { kind: 'Deployment', name: 'api' },
            inactive(
              'ScalingDisabled',
              'scaling is disabled since the replica count of the target is zero',
            ),
          ),
        ],
      }),
    );
    expect(found).toEqual([]);
  });
});

describe('metrics APIs', () => {
  const noApi = inactive(
    'FailedGetResourceMetric',
    'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
  );

  it('report one finding on the APIService autoscalers cannot fetch from, naming them, instead of one per HPA', () => {
    const input = inputOf({
      pods: [],
      horizontalpodautoscalers: [
        hpa('b', { kind: 'Deployment', name: 'b' }, noApi),
        hpa('a', { kind: 'Deployment', name: 'a' }, noApi),
        // Served, but no metric yet for some pod: the HPA's own finding.
        hpa(
          'c',
          { kind: 'Deployment', name: 'c' },
          inactive('FailedGetResourceMetric', 'no metrics returned from resource metrics API'),
        ),
      ],
    });
    const found = metricsApis(input);
    expect(found.map((f) => `${f.code} ${f.object.kind} ${f.object.name}`)).toEqual([
      'HPA_METRICS_API_UNAVAILABLE APIService v1beta1.metrics.k8s.io',
    ]);
    expect(found[0].fields.horizontalPodAutoscalers).toEqual(['shop/a', 'shop/b']);
    expect(hpas(input).map((f) => `${f.code} ${f.object.name}`)).toEqual([
      'HPA_METRICS_UNAVAILABLE c',
    ]);
  });
});

describe('PDB coverage', () => {
  const pdb = (name: string, spec: Record<string, any>, status: Record<string, any>) =>
    slimPdb({ metadata: { name, namespace: 'shop' }, spec, status });

  it('report a budget selecting no pod and one asking for more than it covers; not one covering running pods', () => {
    const found = pdbs(
      inputOf({
        pods: [pod('web-1', { labels: { app: 'web' } }), pod('web-2', { labels: { app: 'web' } })],
        poddisruptionbudgets: [
          pdb('typo', { minAvailable: 1, selector: { matchLabels: { app: 'wbe' } } }, {}),
          pdb(
            'greedy',
            { minAvailable: 3, selector: { matchLabels: { app: 'web' } } },
            { expectedPods: 2, currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0 },
          ),
          pdb(
            'fine',
            { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
            { expectedPods: 2, currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 },
          ),
          // Not yet counted by the controller, but it covers running pods.
          pdb('new', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }, {}),
        ],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name}`)).toEqual([
      'PDB_NO_PODS typo',
      'PDB_MIN_AVAILABLE_ABOVE_REPLICAS greedy',
    ]);
  });
});
