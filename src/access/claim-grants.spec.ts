import type { GrantMapping } from '../config/config.types';
import { grantsFor, identityOf } from './claim-grants';

const ISS = 'https://issuer.example';
const mappings: GrantMapping[] = [
  { group: 'sre', grants: [{ role: 'operator' }] },
  { emailDomain: 'example.com', grants: [{ role: 'viewer', namespaces: ['shop'] }] },
  { subject: 'alice', issuer: 'https://other.example', grants: [{ role: 'admin' }] },
  {
    serviceAccount: 'system:serviceaccount:ci:bot',
    grants: [{ role: 'operator', namespaces: ['shop'] }],
  },
];

describe('claims → grants', () => {
  it('collects the grants of every matching mapping', () => {
    const who = identityOf(
      { sub: 'alice', groups: ['sre', 7], email: 'a@Example.com', email_verified: true },
      ISS,
    );
    expect(grantsFor(mappings, who)).toEqual([
      { role: 'operator' },
      { role: 'viewer', namespaces: ['shop'] },
    ]);
  });

  it('ignores an unverified email and mappings of another issuer', () => {
    const who = identityOf({ sub: 'alice', email: 'a@example.com' }, ISS);
    expect(grantsFor(mappings, who)).toEqual([]);
  });

  it('gives a ServiceAccount only serviceAccount mappings, on its own cluster by default', () => {
    const bot = identityOf({ sub: 'system:serviceaccount:ci:bot', groups: ['sre'] }, ISS, 'c1');
    expect(grantsFor(mappings, bot)).toEqual([
      { role: 'operator', namespaces: ['shop'], clusters: ['c1'] },
    ]);
  });
});
