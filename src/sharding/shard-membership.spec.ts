import type { ConfigProvider } from '../config/config.provider';
import type { PeriodicJobs } from '../coordination/periodic-jobs';
import type { ReplicaCoordination } from '../coordination/replica-coordination';
import type { Member } from './member-judgement';
import { BeatReading, MembershipStore } from './membership-store';
import { ShardMembership } from './shard-membership';

/** A membership table in memory, with a database clock the test moves. */
class MemoryStore extends MembershipStore {
  now = 100_000;
  rows = new Map<string, Member>();
  failing = false;
  clusters = 60;

  async beat(id: string, address: string): Promise<BeatReading> {
    if (this.failing) throw new Error('connection refused');
    this.rows.set(id, { id, address, heartbeatAt: this.now });
    const others = [...this.rows.values()].filter((m) => m.id !== id);
    return { nowMs: this.now, clusters: this.clusters, others };
  }

  async leave(id: string): Promise<void> {
    this.rows.delete(id);
  }

  /** Another replica's heartbeat, as of `at` on the database clock. */
  beatOf(id: string, at = this.now): void {
    this.rows.set(id, { id, address: `http://${id}:8081`, heartbeatAt: at });
  }
}

function membership(store: MemoryStore, memberTimeoutSeconds = 2, retryIntervalSeconds = 1) {
  const config = {
    config: {
      coordination: { retryIntervalSeconds },
      sharding: {
        enabled: true,
        minClusters: 0,
        memberTimeoutSeconds,
        internalAddress: 'http://r2:8081',
        internalPort: 8081,
      },
    },
  } as unknown as ConfigProvider;
  const coordination = { replicaId: 'r2' } as unknown as ReplicaCoordination;
  const jobs = { register: () => ({ run: () => Promise.resolve(undefined) }) };
  return new ShardMembership(store, coordination, config, jobs as unknown as PeriodicJobs);
}

const ids = (m: ShardMembership) => m.members().map((x) => x.id);

describe('ShardMembership', () => {
  it('holds a member live through up to three missed beats, even when configured shorter', async () => {
    const store = new MemoryStore();
    const members = membership(store, 2, 1);
    expect(members.timeoutMs).toBe(3_000);
    store.beatOf('r1');
    await members.beat();
    expect(ids(members)).toEqual(['r1', 'r2']);
    store.now += 2_900;
    await members.beat();
    expect(ids(members)).toEqual(['r1', 'r2']);
    store.now += 200;
    await members.beat();
    expect(ids(members)).toEqual(['r2']);
  });

  it('keeps the last membership it read while it cannot beat, instead of seeing itself alone', async () => {
    const store = new MemoryStore();
    const members = membership(store);
    store.beatOf('r1');
    store.beatOf('r3');
    await members.beat();
    const changes: string[][] = [];
    members.onChange(() => changes.push(ids(members)));
    store.failing = true;
    store.now += 60_000;
    await members.beat();
    await members.beat();
    expect(ids(members)).toEqual(['r1', 'r2', 'r3']);
    expect(members.clusters).toBe(60);
    expect(changes).toEqual([]);
    // Back, it judges by what the database says now: the other two stopped beating meanwhile.
    store.failing = false;
    await members.beat();
    expect(ids(members)).toEqual(['r2']);
    expect(changes).toEqual([['r2']]);
  });

  it('tells the listeners of a join, not of a heartbeat that only moved', async () => {
    const store = new MemoryStore();
    const members = membership(store);
    await members.beat();
    let changes = 0;
    members.onChange(() => changes++);
    store.now += 1_000;
    await members.beat();
    expect(changes).toBe(0);
    store.beatOf('r9');
    await members.beat();
    expect([changes, ids(members)]).toEqual([1, ['r2', 'r9']]);
  });
});
