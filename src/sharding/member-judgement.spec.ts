import { judgeMembers, Member, memberTimeoutMs, sameMembers } from './member-judgement';

const member = (id: string, heartbeatAt: number, address = `http://${id}:8081`): Member => ({
  id,
  address,
  heartbeatAt,
});

describe('memberTimeoutMs', () => {
  it('keeps a configured timeout of at least three beats', () => {
    expect(memberTimeoutMs(10_000, 1_000)).toBe(10_000);
    expect(memberTimeoutMs(6_000, 2_000)).toBe(6_000);
  });

  it('raises a timeout shorter than three beats to three beats', () => {
    expect(memberTimeoutMs(2_000, 2_000)).toBe(6_000);
    expect(memberTimeoutMs(5_000, 5_000)).toBe(15_000);
  });
});

describe('judgeMembers', () => {
  const self = member('r2', 100_000);

  it('holds live the members whose heartbeat is younger than the timeout, by the database clock', () => {
    const rows = [member('r1', 95_001), member('r3', 90_000)];
    expect(judgeMembers(rows, self, 100_000, 5_000).map((m) => m.id)).toEqual(['r1', 'r2']);
  });

  it('keeps a member that missed beats but not the timeout’s worth of them', () => {
    // Beat 1 s, timeout 3 beats: a member last seen 2.9 s ago has missed two beats, not three.
    const rows = [member('r1', 97_100), member('r3', 99_000)];
    expect(judgeMembers(rows, self, 100_000, memberTimeoutMs(2_000, 1_000))).toHaveLength(3);
  });

  it('always counts itself, whatever its own row said before this beat', () => {
    const rows = [member('r2', 1), member('r1', 99_000)];
    const live = judgeMembers(rows, self, 100_000, 5_000);
    expect(live).toEqual([member('r1', 99_000), self]);
  });

  it('judges only against the given clock, not the judge’s own', () => {
    // The same rows read late by a starved replica: the database's "now" travels with them.
    const rows = [member('r1', 1_000), member('r3', 1_500)];
    const late = judgeMembers(rows, member('r2', 2_000), 2_000, 5_000);
    expect(late.map((m) => m.id)).toEqual(['r1', 'r2', 'r3']);
  });

  it('answers members sorted by id, so every replica builds the same list', () => {
    const rows = [member('c', 99_000), member('a', 99_000)];
    expect(judgeMembers(rows, member('b', 100_000), 100_000, 5_000).map((m) => m.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});

describe('sameMembers', () => {
  it('ignores heartbeats but not ids or addresses', () => {
    const a = [member('r1', 1), member('r2', 2)];
    expect(sameMembers(a, [member('r1', 10), member('r2', 20)])).toBe(true);
    expect(sameMembers(a, [member('r1', 1)])).toBe(false);
    expect(sameMembers(a, [member('r1', 1), member('r2', 2, 'http://elsewhere:8081')])).toBe(false);
  });
});
