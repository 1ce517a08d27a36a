import type { LeadershipStatus } from '../coordination/replica-coordination';
import { ToldWhileLeading } from './told-while-leading';

const leading = (since: number | null, leader = since !== null): LeadershipStatus => ({
  method: 'postgres',
  replicaId: 'r1',
  leader,
  since: since === null ? null : new Date(since).toISOString(),
});

describe('ToldWhileLeading', () => {
  it('is trusted while the leadership it was written under lasts', () => {
    const told = new ToldWhileLeading<string>();
    told.set('c1', 'state', 2_000);
    expect(told.get('c1', leading(1_000))).toBe('state');
    expect(told.get('c1', leading(2_000))).toBe('state');
  });

  it('is dropped once this replica stopped leading, even if it leads again', () => {
    const told = new ToldWhileLeading<string>();
    told.set('c1', 'state', 2_000);
    expect(told.get('c1', leading(null))).toBeUndefined();
    // Dropped for good: leading again from before the write does not bring it back.
    expect(told.get('c1', leading(1_000))).toBeUndefined();
    told.set('c2', 'other', 2_000);
    expect(told.get('c2', leading(3_000))).toBeUndefined();
  });

  it('forgets a key whose commit failed', () => {
    const told = new ToldWhileLeading<string>();
    told.set('c1', 'state', 2_000);
    told.forget('c1');
    expect(told.get('c1', leading(1_000))).toBeUndefined();
  });
});
