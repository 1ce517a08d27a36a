import { slimCertManagerCertificate, slimTlsSecretCertificate } from './certificate';

// Throwaway self-signed EC certificate for this test only (openssl, SAN shop.example,
// www.shop.example and 127.0.0.1; valid 2026-12-02 to 2126-11-08). Nothing trusts it.
const LEAF_PEM = `-----BEGIN CERTIFICATE-----
MIIBuDCCAV6gAwIBAgIUHlMLvzbFaNM3C2Z5NYEoZrbqVNQwCgYIKoZIzj0EAwIw
FzEVMBMGA1UEAwwMc2hvcC5leGFtcGxlMCAXDTI2MTIwMjE3MjA1M1oYDzIxMjYx
MTA4MTcyMDUzWjAXMRUwEwYDVQQDDAxzaG9wLmV4YW1wbGUwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAS1dfr204zmr8wejptlnEAEveH/AYZsRa8T042wHMJH2i7u
8aCiV7CfGM29HIsoVOac3T8sUGj+O7N6U69AlGneo4GFMIGCMB0GA1UdDgQWBBTW
7xPXUpBG7l+5HqVIke8QqJhNiDAfBgNVHSMEGDAWgBTW7xPXUpBG7l+5HqVIke8Q
qJhNiDAPBgNVHRMBAf8EBTADAQH/MC8GA1UdEQQoMCaCDHNob3AuZXhhbXBsZYIQ
d3d3LnNob3AuZXhhbXBsZYcEfwAAATAKBggqhkjOPQQDAgNIADBFAiBBm3SjV+Ou
jCpB13n/ccgxybHOSNbgCuAJ01+8OWJHEQIhALESZRL6B7zjgCpUo9VXasVDPBys
KqPRWZyVYaevLg1w
-----END CERTIFICATE-----
`;
const KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg2glmkaIDPxAqhTo1
7MydNE7+d0BESBg59hgpPUY7HcqhRANCAAS1dfr204zmr8wejptlnEAEveH/AYZs
Ra8T042wHMJH2i7u8aCiV7CfGM29HIsoVOac3T8sUGj+O7N6U69AlGne
-----END PRIVATE KEY-----
`;

const b64 = (text: string) => Buffer.from(text).toString('base64');

const tlsSecret = (data: Record<string, string>) => ({
  metadata: { name: 'shop-tls', namespace: 'shop' },
  type: 'kubernetes.io/tls',
  data,
});

describe('slimTlsSecretCertificate', () => {
  it('keeps the leaf certificate dates, DNS names and issuer', () => {
    const record = slimTlsSecretCertificate(
      tlsSecret({ 'tls.crt': b64(LEAF_PEM), 'tls.key': b64(KEY_PEM) }),
    );
    expect(record).toEqual({
      name: 'shop-tls',
      namespace: 'shop',
      source: 'secret',
      secretName: 'shop-tls',
      notBefore: '2026-12-02T17:20:53.000Z',
      notAfter: '2126-11-08T17:20:53.000Z',
      renewalTime: null,
      dnsNames: ['shop.example', 'www.shop.example'],
      issuer: 'CN=shop.example',
      ready: null,
    });
  });

  it('keeps nothing of the key or the certificate bytes', () => {
    const record = slimTlsSecretCertificate(
      tlsSecret({ 'tls.crt': b64(LEAF_PEM), 'tls.key': b64(KEY_PEM) }),
    );
    const kept = JSON.stringify(record);
    for (const secretText of [b64(KEY_PEM), KEY_PEM.split('\n')[1], b64(LEAF_PEM)])
      expect(kept).not.toContain(secretText);
  });

  it('reads the first certificate of a chain (the leaf)', () => {
    const chain = LEAF_PEM + LEAF_PEM.replace('shop', 'not-a-cert');
    expect(slimTlsSecretCertificate(tlsSecret({ 'tls.crt': b64(chain) })).notAfter).toBe(
      '2126-11-08T17:20:53.000Z',
    );
  });

  it.each([
    [{}, 'no tls.crt'],
    [{ 'tls.crt': b64('hello') }, 'tls.crt holds no PEM certificate'],
    [
      { 'tls.crt': b64('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----') },
      'tls.crt does not parse as an X.509 certificate',
    ],
  ])('says why the dates are unknown: %j', (data, problem) => {
    const record = slimTlsSecretCertificate(tlsSecret(data));
    expect(record.problem).toBe(problem);
    expect(record.notAfter).toBeNull();
  });
});

describe('slimCertManagerCertificate', () => {
  it('reads the dates from the status and the names from the spec', () => {
    const record = slimCertManagerCertificate({
      metadata: { name: 'shop', namespace: 'shop' },
      spec: {
        secretName: 'shop-tls',
        dnsNames: ['shop.example'],
        issuerRef: { name: 'letsencrypt' },
      },
      status: {
        notBefore: '2026-10-01T00:00:00Z',
        notAfter: '2026-12-30T00:00:00Z',
        renewalTime: '2026-11-30T00:00:00Z',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
    expect(record).toEqual({
      name: 'shop',
      namespace: 'shop',
      source: 'cert-manager',
      secretName: 'shop-tls',
      notBefore: '2026-10-01T00:00:00.000Z',
      notAfter: '2026-12-30T00:00:00.000Z',
      renewalTime: '2026-11-30T00:00:00.000Z',
      dnsNames: ['shop.example'],
      issuer: 'letsencrypt',
      ready: true,
    });
  });

  it('has no dates before the first issue', () => {
    const record = slimCertManagerCertificate({
      metadata: { name: 'new', namespace: 'shop' },
      spec: { secretName: 'new-tls' },
    });
    expect([record.notAfter, record.renewalTime, record.ready]).toEqual([null, null, false]);
  });
});
