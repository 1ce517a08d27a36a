import { constantTimeEquals, issueToken, sha256Hex, splitToken } from './token-format';
import { roleSatisfies } from '../common/roles';

describe('API token format', () => {
  it('issues distinct tokens whose secret hashes to the stored hash', () => {
    const a = issueToken();
    const b = issueToken();
    expect(a.token).not.toBe(b.token);
    const parts = splitToken(a.token);
    expect(parts?.publicId).toBe(a.publicId);
    expect(sha256Hex(parts!.secret)).toBe(a.secretHash);
    expect(Buffer.from(parts!.secret, 'base64url')).toHaveLength(32);
  });

  it('rejects strings that are not CloudPilot tokens', () => {
    expect(splitToken('Bearer x')).toBeNull();
    expect(splitToken(`cpt_short_${'a'.repeat(43)}`)).toBeNull();
  });

  it('compares strings of different lengths without throwing', () => {
    expect(constantTimeEquals('a', 'a')).toBe(true);
    expect(constantTimeEquals('a', 'ab')).toBe(false);
  });
});

describe('roleSatisfies', () => {
  it.each([
    ['viewer', 'viewer', true],
    ['viewer', 'operator', false],
    ['operator', 'viewer', true],
    ['operator', 'admin', false],
    ['admin', 'operator', true],
  ] as const)('%s satisfies %s: %s', (actual, required, expected) => {
    expect(roleSatisfies(actual, required)).toBe(expected);
  });
});
