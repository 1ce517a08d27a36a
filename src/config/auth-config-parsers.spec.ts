import { grantMappings, oidcIssuers } from './auth-config-parsers';

describe('auth config parsers', () => {
  it('take issuers from YAML or JSON, with asymmetric defaults', () => {
    const json = JSON.stringify([{ issuer: 'https://idp.example/', audience: 'cloudpilot' }]);
    expect(oidcIssuers(json)).toEqual([
      {
        issuer: 'https://idp.example',
        audience: 'cloudpilot',
        algorithms: ['RS256', 'ES256'],
        jwksCooldownSeconds: 30,
        jwksMaxAgeSeconds: 600,
      },
    ]);
  });

  it.each(['HS256', 'none', 'HS512'])('refuse the %s algorithm at start-up', (alg) => {
    expect(() =>
      oidcIssuers([{ issuer: 'https://idp.example', audience: 'a', algorithms: [alg] }]),
    ).toThrow(/not allowed/);
  });

  it('refuse mappings that match nothing, bad ServiceAccount names and unknown fields', () => {
    expect(() => grantMappings([{ grants: [{ role: 'viewer' }] }])).toThrow(/must match on/);
    expect(() =>
      grantMappings([{ serviceAccount: 'ci:bot', grants: [{ role: 'viewer' }] }]),
    ).toThrow(/system:serviceaccount/);
    expect(() => grantMappings([{ group: 'g', grants: [{ role: 'root' }] }])).toThrow(/role/);
    expect(() => grantMappings([{ group: 'g', grant: [] }])).toThrow(/unknown field/);
    expect(
      grantMappings([{ group: 'g', grants: [{ role: 'viewer', namespaces: 'a,team-*' }] }]),
    ).toEqual([
      {
        issuer: undefined,
        subject: undefined,
        group: 'g',
        emailDomain: undefined,
        serviceAccount: undefined,
        grants: [{ role: 'viewer', namespaces: ['a', 'team-*'] }],
      },
    ]);
  });
});
