import { trackedState, workloadFields } from '../cluster-state/records/change-fields';
import { withTracking } from '../cluster-state/records/change-fields';
import { slimWorkload } from '../cluster-state/records/workload';
import { relatedObjects } from './relations';

/** A snapshot reader over plain records, as ClusterSnapshot answers list/get. */
function reader(records: Record<string, any[]>) {
  const list = (kind: string, namespace?: string) =>
    (records[kind] ?? []).filter(
      (r) => namespace === undefined || (r.namespace ?? r.metadata?.namespace) === namespace,
    );
  return {
    list: list as any,
    get: ((kind: string, name: string, namespace?: string) =>
      list(kind, namespace).find((r) => (r.name ?? r.metadata?.name) === name)) as any,
  };
}

const deployment = withTracking(
  slimWorkload,
  workloadFields,
)({
  metadata: { name: 'web', namespace: 'shop', resourceVersion: '1' },
  spec: {
    template: {
      spec: {
        nodeSelector: { pool: 'db' },
        containers: [{ name: 'app', image: 'a', envFrom: [{ secretRef: { name: 'creds' } }] }],
      },
    },
  },
});

const snapshot = reader({
  deployments: [deployment],
  replicasets: [{ name: 'web-1', namespace: 'shop', owner: { kind: 'Deployment', name: 'web' } }],
  pods: [
    {
      name: 'web-1-a',
      namespace: 'shop',
      labels: { app: 'web' },
      nodeName: 'n1',
      owner: { kind: 'ReplicaSet', name: 'web-1' },
      refs: { configMaps: ['settings'] },
    },
    {
      name: 'web-1-b',
      namespace: 'shop',
      labels: { app: 'web' },
      nodeName: '',
      owner: { kind: 'ReplicaSet', name: 'web-1' },
    },
  ],
  nodes: [
    { name: 'n1', labels: { pool: 'db' } },
    { name: 'n2', labels: { pool: 'db' } },
    { name: 'n3', labels: { pool: 'web' } },
  ],
  services: [
    { metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' } } },
    { metadata: { name: 'other', namespace: 'shop' }, spec: { selector: { app: 'other' } } },
  ],
  horizontalpodautoscalers: [
    { name: 'web', namespace: 'shop', target: { kind: 'Deployment', name: 'web' } },
  ],
});

describe('relatedObjects', () => {
  const related = relatedObjects(snapshot, {
    group: 'apps',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
  });
  const at = (kind: string, name: string) =>
    related.find((r) => r.kind === kind && r.name === name)?.distance;

  it('relates a workload to what its pods and template reference, its nodes, HPA and Services', () => {
    expect(at('Deployment', 'web')).toBe(0);
    expect(at('ConfigMap', 'settings')).toBe(1);
    expect(at('Secret', 'creds')).toBe(1);
    expect(at('ServiceAccount', 'default')).toBe(1);
    expect(at('Node', 'n1')).toBe(1);
    expect(at('HorizontalPodAutoscaler', 'web')).toBe(1);
    expect(at('Service', 'web')).toBe(2);
    expect(at('Service', 'other')).toBeUndefined();
  });

  it("relates a pending pod's candidate nodes (its nodeSelector) but not the others", () => {
    expect(at('Node', 'n2')).toBe(2);
    expect(at('Node', 'n3')).toBeUndefined();
  });

  it('walks a pod up its owner chain', () => {
    const up = relatedObjects(snapshot, {
      group: '',
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-1-a',
    });
    expect(
      up.filter((r) => r.relation === 'which owns it').map((r) => [r.kind, r.distance]),
    ).toEqual([
      ['ReplicaSet', 1],
      ['Deployment', 2],
    ]);
  });

  it('keeps the tracked state out of the record as JSON sees it', () => {
    expect(JSON.stringify(deployment)).not.toContain('nodeSelector');
    expect(trackedState({ metadata: {} }, workloadFields).fields).toEqual({});
  });
});
