import { usageByNode } from './live-usage';

const NANO = 1_000_000_000n;

describe('usageByNode', () => {
  const nodes: Record<string, string> = { a: 'n1', b: 'n1', c: 'n2' };
  const sample = (namespace: string, pod: string, value: number) => ({
    metric: { namespace, pod },
    value,
  });
  const usage = usageByNode(
    [
      sample('shop', 'a', 0.5),
      sample('shop', 'b', 0.25),
      sample('ops', 'c', 1),
      sample('ops', 'gone', 2),
    ],
    [sample('shop', 'a', 1024), sample('ops', 'gone', NaN)],
    (_ns, pod) => nodes[pod],
    new Date(0),
  );

  it('sums per node the pods the cache places, and every pod in the total', () => {
    expect(usage.byNode.get('n1')).toEqual({ cpu: (3n * NANO) / 4n, memory: 1024n * NANO });
    expect(usage.byNode.get('n2')).toEqual({ cpu: NANO, memory: 0n });
    expect(usage.total.cpu).toBe(3n * NANO + (3n * NANO) / 4n);
  });

  it('sums per namespace, pods the cache does not know included', () => {
    expect(usage.byNamespace!.get('shop')).toEqual({
      cpu: (3n * NANO) / 4n,
      memory: 1024n * NANO,
    });
    expect(usage.byNamespace!.get('ops')).toEqual({ cpu: 3n * NANO, memory: 0n });
  });
});
