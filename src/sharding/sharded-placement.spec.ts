import type { ConfigProvider } from '../config/config.provider';
import { PeerAnswer, PeerClient, PeerUnreachable } from './peer-client';
import { rendezvousOrder } from './rendezvous';
import { ShardedPlacement } from './sharded-placement';
import type { Member, ShardMembership } from './shard-membership';
import { shardScope } from './shard-scope';

const MEMBERS: Member[] = ['r1', 'r2', 'r3'].map((id) => ({
  id,
  address: `http://${id}.internal:8081`,
  heartbeatAt: 0,
}));
const CLUSTERS = Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, name: `n${i}` }));

function placement(peer: (address: string, ids: readonly string[]) => Promise<unknown>) {
  const membership = {
    self: 'r1',
    clusters: CLUSTERS.length,
    members: () => MEMBERS,
    onChange: () => () => undefined,
  } as unknown as ShardMembership;
  const config = {
    config: {
      sharding: { enabled: true, minClusters: 0, replicationFactor: 1 },
      monitor: { fleetDeadlineSeconds: 5 },
    },
  } as unknown as ConfigProvider;
  const peers = {
    getJson: (address: string, _url: string, _scope: unknown, ids: readonly string[]) =>
      peer(address, ids),
  } as unknown as PeerClient;
  return new ShardedPlacement(membership, config, peers);
}

const answers = (ids: readonly string[]) => ({
  items: ids.map((id) => ({ cluster: { id, name: id }, data: { from: id } })),
});
const inScope = <T>(fn: () => T) =>
  shardScope.run({ authorization: 'Bearer x', requestId: 'q' }, fn);
const firstOwner = (id: string) => rendezvousOrder(id, ['r1', 'r2', 'r3'])[0];

describe('ShardedPlacement fleet plan', () => {
  it('answers its own clusters here and asks each other owner once for its share', async () => {
    const asked: string[] = [];
    const p = placement(async (address, ids) => {
      asked.push(address);
      return answers(ids);
    });
    const plan = inScope(() => p.plan(CLUSTERS, { failure: 'x', route: '/api/v1/overview' }));
    const remote = await plan.remote;
    expect(plan.local.map((c) => c.id)).toEqual(
      CLUSTERS.filter((c) => firstOwner(c.id) === 'r1').map((c) => c.id),
    );
    expect(remote.entries).toHaveLength(CLUSTERS.length - plan.local.length);
    expect(asked.sort()).toEqual(['http://r2.internal:8081', 'http://r3.internal:8081']);
  });

  it("sends an unreachable owner's clusters to their next replica, and answers here those whose next is this one", async () => {
    const p = placement(async (address, ids) => {
      if (address.includes('r2')) throw new PeerUnreachable('refused');
      return answers(ids);
    });
    const plan = inScope(() => p.plan(CLUSTERS, { failure: 'x', route: '/api/v1/overview' }));
    const remote = await plan.remote;
    const ofR2 = CLUSTERS.filter((c) => firstOwner(c.id) === 'r2');
    const nextIsMe = ofR2.filter((c) => rendezvousOrder(c.id, ['r1', 'r3'])[0] === 'r1');
    expect(remote.fallback.map((c) => c.id).sort()).toEqual(nextIsMe.map((c) => c.id).sort());
    expect(remote.entries.every((e) => 'data' in e)).toBe(true);
    expect(plan.local.length + remote.entries.length + remote.fallback.length).toBe(
      CLUSTERS.length,
    );
  });

  it("makes an owner's error answer its clusters' errors, as data", async () => {
    const p = placement(async () => {
      throw new PeerAnswer('UNAUTHENTICATED', 'no');
    });
    const remote = await inScope(() => p.plan(CLUSTERS, { failure: 'x', route: '/r' })).remote;
    expect(remote.entries.length).toBeGreaterThan(0);
    for (const e of remote.entries)
      expect(e).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('answers exactly the forwarded share, and everything when there is no caller to forward for', () => {
    const p = placement(async () => answers([]));
    const share = shardScope.run(
      { authorization: '', requestId: 'q', clusters: new Set(['c1', 'c2']) },
      () => p.plan(CLUSTERS, { failure: 'x', route: '/r' }),
    );
    expect(share.local.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(p.plan(CLUSTERS, { failure: 'x', route: '/r' }).local).toHaveLength(CLUSTERS.length);
  });
});
