import { AccessScope, ClusterFacts, everywhere } from './access-grants';
import { withinNamespaces } from './access-filter';
import { checkClusterAccess } from './access-check';

const prod: ClusterFacts = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'prod',
  labels: { env: 'prod' },
};
const stage: ClusterFacts = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'stage',
  labels: { env: 'stage' },
};

describe('AccessScope', () => {
  it('gives a grantless token its role everywhere, unrestricted', () => {
    const scope = new AccessScope(everywhere('operator'));
    expect(scope.unrestricted).toBe(true);
    expect(scope.maxRole).toBe('operator');
    expect(scope.namespaceRank(prod, 'anything')).toBe(1);
  });

  it('matches clusters by name, id or labels and namespaces by name or pattern', () => {
    const scope = new AccessScope([
      { role: 'operator', clusters: ['prod'], namespaces: ['shop', 'team-a-*'] },
      { role: 'viewer', clusterLabels: { env: 'stage' } },
    ]);
    expect(scope.unrestricted).toBe(false);
    expect(scope.namespaceRank(prod, 'shop')).toBe(1);
    expect(scope.namespaceRank(prod, 'team-a-web')).toBe(1);
    expect(scope.namespaceRank(prod, 'team-b')).toBe(-1);
    expect(scope.clusterWideRank(prod)).toBe(-1);
    expect(scope.clusterWideRank(stage)).toBe(0);
    expect(scope.namespaceRank({ ...stage, labels: {} }, 'shop')).toBe(-1);
    expect(scope.namespacesIn(prod)).toEqual(['shop', 'team-a-*']);
    expect(scope.namespacesIn(stage)).toEqual(['*']);
  });

  it('holds a role on the installation only through a grant on every cluster and namespace', () => {
    const scoped = new AccessScope([{ role: 'admin', clusters: ['prod'] }, { role: 'viewer' }]);
    expect(scoped.maxRole).toBe('admin');
    expect(scoped.installationRank()).toBe(0);
    expect(new AccessScope([{ role: 'admin', namespaces: ['shop'] }]).installationRank()).toBe(-1);
  });

  it('does not let a pattern reach beyond DNS-label characters', () => {
    const scope = new AccessScope([{ role: 'viewer', namespaces: ['a.*'] }]);
    expect(scope.namespaceRank(prod, 'a.b')).toBe(0);
    expect(scope.namespaceRank(prod, 'aXb')).toBe(-1);
  });

  it('covers only grants within its own (no minting beyond the minter)', () => {
    const scope = new AccessScope([{ role: 'operator', clusters: ['prod'], namespaces: ['shop'] }]);
    expect(scope.covers([{ role: 'viewer', clusters: ['prod'], namespaces: ['shop'] }])).toBe(true);
    expect(scope.covers([{ role: 'admin', clusters: ['prod'], namespaces: ['shop'] }])).toBe(false);
    expect(scope.covers([{ role: 'viewer', clusters: ['prod'] }])).toBe(false);
    expect(scope.covers([{ role: 'viewer', namespaces: ['shop'] }])).toBe(false);
    expect(scope.covers([{ role: 'viewer', clusters: ['prod'], namespaces: ['shop-*'] }])).toBe(
      false,
    );
  });
});

describe('withinNamespaces', () => {
  const visible = (ns: string) => ns === 'shop';

  it('drops listed items of other namespaces and cluster-scoped ones, at any depth', () => {
    const data = {
      items: [
        { name: 'a', namespace: 'shop' },
        { name: 'b', namespace: 'payments' },
        { name: 'node-1', namespace: null },
        { kind: 'Pod', metadata: { name: 'c', namespace: 'payments' } },
      ],
      groups: [{ title: 'x', findings: [{ namespace: 'payments' }, { namespace: 'shop' }] }],
      total: 4,
    };
    expect(withinNamespaces(data, visible)).toEqual({
      items: [{ name: 'a', namespace: 'shop' }],
      groups: [{ title: 'x', findings: [{ namespace: 'shop' }] }],
      total: 4,
    });
  });

  it('drops a finding (an item about one object) by its object, whole, not only its reference', () => {
    const finding = (ns: string) => ({
      id: `f-${ns}`,
      message: `Service ${ns}/web selects no pod`,
      object: { group: '', kind: 'Service', namespace: ns, name: 'web' },
    });
    const node = { id: 'n', object: { group: '', kind: 'Node', namespace: '', name: 'n1' } };
    expect(withinNamespaces(finding('payments'), visible)).toBeUndefined();
    expect(withinNamespaces(node, visible)).toBeUndefined();
    expect(
      withinNamespaces({ items: [finding('shop'), finding('payments'), node] }, visible),
    ).toEqual({
      items: [finding('shop')],
    });
  });

  it('answers undefined for a single object outside, and filters namespace lists by name', () => {
    expect(withinNamespaces({ id: 'f', namespace: 'payments' }, visible)).toBeUndefined();
    expect(withinNamespaces({ id: 'f', namespace: '' }, visible)).toBeUndefined();
    expect(
      withinNamespaces({ items: [{ name: 'shop' }, { name: 'payments' }] }, visible, 'name'),
    ).toEqual({
      items: [{ name: 'shop' }],
    });
  });
});

describe('checkClusterAccess', () => {
  const scope = new AccessScope([{ role: 'viewer', clusters: ['prod'], namespaces: ['shop'] }]);

  it('hides other clusters, other namespaces and cluster-wide targets as 404s', () => {
    expect(() => checkClusterAccess('cluster', scope, stage, undefined, 'viewer')).toThrow(
      expect.objectContaining({ code: 'CLUSTER_NOT_FOUND' }),
    );
    expect(() => checkClusterAccess('namespaced', scope, prod, 'payments', 'viewer')).toThrow(
      expect.objectContaining({ code: 'OUT_OF_SCOPE' }),
    );
    expect(() => checkClusterAccess('namespaced', scope, prod, undefined, 'viewer')).toThrow(
      expect.objectContaining({ code: 'OUT_OF_SCOPE' }),
    );
    expect(() => checkClusterAccess('cluster-wide', scope, prod, undefined, 'viewer')).toThrow(
      expect.objectContaining({ code: 'OUT_OF_SCOPE' }),
    );
  });

  it('refuses a visible target with too small a role with 403, and trims what it shows', () => {
    expect(() => checkClusterAccess('namespaced', scope, prod, 'shop', 'operator')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    const view = checkClusterAccess('cluster', scope, prod, undefined, 'viewer')!;
    expect(view([{ namespace: 'shop' }, { namespace: 'kube-system' }])).toEqual([
      { namespace: 'shop' },
    ]);
  });
});
