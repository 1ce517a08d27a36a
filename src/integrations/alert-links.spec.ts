import type { Finding } from '../cluster-state/finding';
import { alertObjects, linkAlert } from './alert-links';

function finding(id: string, kind: string, name: string, objects?: string[]): Finding {
  return {
    id,
    clusterId: 'c1',
    code: 'X',
    severity: 'warning',
    source: 'kubernetes',
    object: { group: '', kind, namespace: kind === 'Node' ? '' : 'shop', name },
    message: '',
    evidence: { fields: {}, events: [], ...(objects ? { objects } : {}) },
    suggestion: '',
    count: 1,
    firstSeen: '',
    lastSeen: '',
  };
}

const FINDINGS = [
  finding('deploy', 'Deployment', 'cart', ['cart-7f9c-abcde']),
  finding('sts', 'StatefulSet', 'db'),
  finding('svc', 'Service', 'cart'),
  finding('node', 'Node', 'worker-1'),
];

const ids = (labels: Record<string, string>) => linkAlert(labels, FINDINGS).map((l) => l.findingId);

describe('linkAlert', () => {
  it('links a pod alert to the workload that owns the pod, by evidence or by name', () => {
    expect(ids({ namespace: 'shop', pod: 'cart-7f9c-abcde' })).toEqual(['deploy']);
    expect(ids({ namespace: 'shop', pod: 'db-0' })).toEqual(['sts']);
  });

  it('links workload, service and node labels to the findings of those objects', () => {
    expect(ids({ namespace: 'shop', deployment: 'cart' })).toEqual(['deploy']);
    expect(ids({ namespace: 'shop', service: 'cart' })).toEqual(['svc']);
    expect(ids({ node: 'worker-1' })).toEqual(['node']);
  });

  it('links nothing for another namespace, a namespace alone or no object at all', () => {
    expect(ids({ namespace: 'payments', deployment: 'cart' })).toEqual([]);
    expect(ids({ namespace: 'shop' })).toEqual([]);
    expect(ids({ alertname: 'Watchdog' })).toEqual([]);
    expect(alertObjects({ pod: 'cart-1' })).toEqual([]);
  });
});
