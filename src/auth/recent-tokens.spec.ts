import type { ApiToken } from './api-token.entity';
import { RecentTokens, TOKEN_REUSE_MS } from './recent-tokens';

const row = (id: string, publicId: string) => ({ id, publicId }) as ApiToken;

describe('RecentTokens', () => {
  it('keeps a row for at most TOKEN_REUSE_MS, so another replica revoking it is seen that late', () => {
    const recent = new RecentTokens<string>();
    recent.set(row('t1', 'pub1'), 'scope', 1_000);
    expect(recent.get('pub1', 1_000 + TOKEN_REUSE_MS - 1)?.derived).toBe('scope');
    expect(recent.get('pub1', 1_000 + TOKEN_REUSE_MS)).toBeUndefined();
    // Expired entries are dropped, not kept until the next read of the same id.
    expect(recent.get('pub1', 1_000)).toBeUndefined();
  });

  it('forgets a token revoked on this replica at once, by its id', () => {
    const recent = new RecentTokens<string>();
    recent.set(row('t1', 'pub1'), 'a', 1_000);
    recent.set(row('t2', 'pub2'), 'b', 1_000);
    recent.forget('t1');
    expect(recent.get('pub1', 1_001)).toBeUndefined();
    expect(recent.get('pub2', 1_001)?.derived).toBe('b');
  });
});
