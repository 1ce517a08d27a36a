import { slimNode } from '../cluster-state/records/node';
import { PodRecord, slimPod } from '../cluster-state/records/pod';
import { ClusterAggregates } from './cluster-aggregates';
import type { SnapshotChange } from './cluster-snapshot';
import { SnapshotMirror } from './snapshot-mirror';

/** A deterministic pseudo-random sequence, so a failure replays. */
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const podOf = (i: number, node: string, cpu: number, phase = 'Running') =>
  slimPod({
    metadata: { name: `p-${i}`, namespace: `ns-${i % 7}` },
    spec: {
      nodeName: node,
      containers: [{ name: 'app', resources: { requests: { cpu: `${cpu}m`, memory: '64Mi' } } }],
    },
    status: { phase, conditions: [{ type: 'Ready', status: 'True' }] },
  });

const nodeOf = (n: number, cpu: string) =>
  slimNode({
    metadata: { name: `n-${n}` },
    status: {
      capacity: { cpu, memory: '8Gi', pods: '110' },
      allocatable: { cpu, memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  });

describe('SnapshotMirror', () => {
  it('holds what the source holds and allocates what it allocates, through random changes, announcing each', () => {
    const next = random(5);
    const pods = new Map<string, PodRecord>();
    const mirror = new SnapshotMirror('c1');
    // The first fill: silent, as the snapshot was when mirroring started.
    const initial = Array.from({ length: 200 }, (_, i) => podOf(i, `n-${i % 5}`, 100));
    for (const p of initial) pods.set(`${p.namespace}/${p.name}`, p);
    mirror.apply({
      fill: [
        { kind: 'pods', records: initial },
        { kind: 'nodes', records: [0, 1, 2, 3, 4].map((n) => nodeOf(n, '4')) },
      ],
      usable: ['pods', 'nodes'],
      settled: true,
    });
    const heard: SnapshotChange[] = [];
    mirror.subscribe((c) => heard.push(c));
    for (let round = 0; round < 30; round++) {
      const changes = [];
      for (let c = 0; c < 40; c++) {
        const i = Math.floor(next() * 300);
        const key = `ns-${i % 7}/p-${i}`;
        const held = pods.get(key);
        const roll = next();
        if (roll < 0.25 && held) {
          pods.delete(key);
          changes.push({ kind: 'pods' as const, type: 'deleted' as const, record: held });
          continue;
        }
        // Moved to another node, resized, or finished (a terminated pod reserves nothing).
        const record = podOf(
          i,
          `n-${Math.floor(next() * 5)}`,
          50 + Math.floor(next() * 4) * 50,
          roll > 0.9 ? 'Succeeded' : 'Running',
        );
        pods.set(key, record);
        changes.push({ kind: 'pods' as const, type: 'updated' as const, record });
      }
      mirror.apply({ changes });
    }
    const expected = new ClusterAggregates();
    for (const p of pods.values()) expected.pod(p, 1);
    const key = (p: PodRecord) => `${p.namespace}/${p.name}`;
    expect(mirror.list('pods').map(key).sort()).toEqual([...pods.keys()].sort());
    expect(mirror.list('pods', 'ns-3').every((p) => p.namespace === 'ns-3')).toBe(true);
    for (const [k, p] of pods) expect(mirror.get('pods', p.name, p.namespace)).toBe(pods.get(k));
    for (let n = 0; n < 5; n++)
      expect(mirror.aggregates.allocation(`n-${n}`)).toEqual(expected.allocation(`n-${n}`));
    expect(mirror.list('nodes')).toHaveLength(5);
    // Each change is announced as the snapshot would: added or updated (with what it replaced), or deleted.
    const types = new Set(heard.map((c) => c.type));
    expect(types).toEqual(new Set(['added', 'updated', 'deleted']));
    for (const c of heard)
      if (c.type === 'updated') expect(c.previous).toBeDefined();
      else expect(c.previous).toBeUndefined();
  });

  it('reads as the detectors expect: usable kinds only, and settled as told', () => {
    const mirror = new SnapshotMirror('c1');
    expect(mirror.settled).toBe(false);
    expect(mirror.caches('pods')).toBe(false);
    mirror.apply({ usable: ['pods'], settled: true });
    expect(mirror.caches('pods')).toBe(true);
    expect(mirror.caches('secrets')).toBe(false);
    expect(Object.keys(mirror.status())).toEqual(['pods']);
    expect(mirror.settled).toBe(true);
    expect(mirror.list('secrets')).toEqual([]);
    // A deletion of something it never held announces nothing.
    const heard: SnapshotChange[] = [];
    mirror.subscribe((c) => heard.push(c));
    mirror.apply({ changes: [{ kind: 'pods', type: 'deleted', record: podOf(1, 'n-0', 100) }] });
    expect(heard).toEqual([]);
  });
});
