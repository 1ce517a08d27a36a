import { sign, SignedRequest, verify } from './request-signature';

const SECRET = 's'.repeat(32);
const request: SignedRequest = {
  from: 'r1',
  at: String(1_000_000),
  method: 'GET',
  url: '/api/v1/clusters/c1/overview',
  requestId: 'req-1',
  authorization: 'Bearer abc',
  clusters: '',
};

describe('forwarded request signature', () => {
  it('accepts the request it signed, within the allowed skew', () => {
    expect(verify(SECRET, request, sign(SECRET, request), 1_020_000)).toBe(true);
  });

  it('refuses another secret, a changed url, caller or cluster list, and a stale request', () => {
    const signature = sign(SECRET, request);
    expect(verify('t'.repeat(32), request, signature, 1_000_000)).toBe(false);
    expect(
      verify(SECRET, { ...request, url: '/api/v1/clusters/c2/overview' }, signature, 1_000_000),
    ).toBe(false);
    expect(
      verify(SECRET, { ...request, authorization: 'Bearer other' }, signature, 1_000_000),
    ).toBe(false);
    expect(verify(SECRET, { ...request, clusters: 'c1,c2' }, signature, 1_000_000)).toBe(false);
    expect(verify(SECRET, request, signature, 1_031_000)).toBe(false);
    expect(verify(SECRET, request, 'zz', 1_000_000)).toBe(false);
  });
});
