import { AppError } from '../common/app-error';
import { ConnectionPolicy } from './cluster-connection';
import {
  assertSafeResolvedAddress,
  assertSafeServerUrl,
  formatServerUrl,
} from './server-url-guard';

const STRICT: ConnectionPolicy = {
  allowLoopback: false,
  allowPlainHttpLoopback: false,
  allowInsecureSkipTlsVerify: false,
};
const LOOPBACK: ConnectionPolicy = { ...STRICT, allowLoopback: true };
const DEMO: ConnectionPolicy = { ...STRICT, allowLoopback: true, allowPlainHttpLoopback: true };

/** The AppError code `fn` throws, or 'OK'; anything else thrown fails the test. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const url = (text: string, policy: ConnectionPolicy = STRICT) =>
  outcome(() => assertSafeServerUrl(text, policy));

describe('assertSafeServerUrl', () => {
  describe('refuses what is not an absolute URL with a host, without credentials, query or fragment', () => {
    it.each([
      [''],
      ['not a url'],
      ['/api/v1'],
      ['example.com:6443'],
      ['https://'],
      ['https:///example.com'],
      ['https:example.com'],
      ['https://user:pass@example.com'],
      ['https://token@example.com'],
      ['https://:pass@example.com'],
      ['https://example.com/?x=1'],
      ['https://example.com/?'],
      ['https://example.com/#frag'],
      [' https://example.com'],
      ['https://example.com\n'],
      ['https://exa\tmple.com'],
      ['https:\\\\example.com'],
      ['https://example.com\\@169.254.169.254'],
      ['https://１６９.２５４.１６９.２５４/'],
      ['https://[fe80::1%25eth0]/'],
      ['https://example.com:99999/'],
      ['unix:///var/run/kube.sock'],
      ['file:///etc/kubernetes/admin.conf'],
      [`https://${'a'.repeat(2100)}.example.com`],
    ])('%j → CLUSTER_URL_INVALID', (text) => {
      expect(url(text)).toBe('CLUSTER_URL_INVALID');
    });

    it('refuses a value that is not a string', () => {
      expect(url(42 as unknown as string)).toBe('CLUSTER_URL_INVALID');
    });

    it('never echoes a password or a query token in the error', () => {
      for (const text of [
        'https://admin:s3cret-pw@example.com',
        'https://example.com/?token=s3cret-pw',
      ]) {
        const error = errorOf(() => assertSafeServerUrl(text, STRICT));
        expect(JSON.stringify([error.message, error.details])).not.toContain('s3cret-pw');
      }
    });

    it.each([
      ['https://api.example.com'],
      ['https://api.example.com:6443/'],
      ['https://rancher.example.com/k8s/clusters/c-m-abc'],
      ['HTTPS://API.Example.COM:6443'],
    ])('accepts the nearest well-formed URL %j', (text) => {
      expect(url(text)).toBe('OK');
    });
  });

  describe('refuses link-local, metadata, unspecified, multicast and broadcast hosts in every spelling', () => {
    it.each([
      ['https://169.254.169.254/', 'IPv4 metadata'],
      ['https://169.254.0.1:6443', 'start of 169.254.0.0/16'],
      ['https://169.254.255.255', 'end of 169.254.0.0/16'],
      ['https://2852039166/', 'decimal 169.254.169.254'],
      ['https://0xA9FEA9FE/', 'hex 169.254.169.254'],
      ['https://0251.0376.0251.0376/', 'octal dotted'],
      ['https://0xa9.0xfe.0xa9.0xfe/', 'hex dotted'],
      ['https://169.254.43518/', 'three-part form'],
      ['https://169.16689662/', 'two-part form'],
      ['https://%31%36%39.254.169.254/', 'percent-encoded'],
      ['https://169.254.169.254./', 'trailing dot'],
      ['https://[fe80::1]/', 'IPv6 link-local'],
      ['https://[febf:ffff::1]:6443', 'end of fe80::/10'],
      ['https://[fd00:ec2::254]/', 'AWS IPv6 metadata'],
      ['https://100.100.100.200/', 'Alibaba metadata'],
      ['https://168.63.129.16/', 'Azure WireServer'],
      ['https://0.0.0.0:6443', 'unspecified IPv4'],
      ['https://0/', 'unspecified IPv4, short form'],
      ['https://0.1.2.3/', 'this-network 0.0.0.0/8'],
      ['https://[::]/', 'unspecified IPv6'],
      ['https://[0:0:0:0:0:0:0:0]/', 'unspecified IPv6, long form'],
      ['https://224.0.0.1/', 'multicast start'],
      ['https://239.255.255.250/', 'multicast end (SSDP)'],
      ['https://[ff02::1]/', 'IPv6 multicast'],
      ['https://255.255.255.255/', 'broadcast'],
      ['https://[::ffff:169.254.169.254]/', 'IPv4-mapped, dotted'],
      ['https://[::ffff:a9fe:a9fe]/', 'IPv4-mapped, hex'],
      ['https://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'IPv4-mapped, long form'],
      ['https://[::ffff:0.0.0.0]/', 'IPv4-mapped unspecified'],
      ['https://[::ffff:224.0.0.1]/', 'IPv4-mapped multicast'],
      ['https://[::169.254.169.254]/', 'IPv4-compatible'],
      ['https://[64:ff9b::169.254.169.254]/', 'NAT64'],
      ['https://metadata.google.internal/', 'GCE metadata name'],
      ['https://METADATA.GOOGLE.INTERNAL./', 'GCE metadata name, upper case with trailing dot'],
      ['https://metadata/', 'short metadata name'],
      ['https://metadata.goog/', 'metadata.goog'],
      ['https://instance-data/', 'EC2 instance-data'],
      ['https://instance-data.ec2.internal/', 'EC2 instance-data FQDN'],
    ])('%s (%s) → CLUSTER_URL_FORBIDDEN_ADDRESS', (text) => {
      expect(url(text)).toBe('CLUSTER_URL_FORBIDDEN_ADDRESS');
    });

    it('refuses forbidden hosts even where loopback and plain http are allowed', () => {
      expect(url('https://169.254.169.254', DEMO)).toBe('CLUSTER_URL_FORBIDDEN_ADDRESS');
      expect(url('http://169.254.169.254', DEMO)).toBe('CLUSTER_URL_FORBIDDEN_ADDRESS');
    });

    it('names the host, and nothing else, in the details', () => {
      const error = errorOf(() => assertSafeServerUrl('https://2852039166:6443/', STRICT));
      expect(error.details).toEqual({ host: '169.254.169.254' });
      expect(error.message).toContain('169.254.169.254');
    });

    it.each([
      ['https://10.0.0.1:6443', 'private 10/8'],
      ['https://172.16.0.1', 'private 172.16/12'],
      ['https://192.168.1.10:6443', 'private 192.168/16'],
      ['https://100.64.0.1', 'CGNAT 100.64/10'],
      ['https://167772161:6443', 'decimal 10.0.0.1'],
      ['https://169.253.255.255', 'just below 169.254/16'],
      ['https://169.255.0.0', 'just above 169.254/16'],
      ['https://1.0.0.0', 'just above 0/8'],
      ['https://223.255.255.255', 'just below multicast'],
      ['https://100.100.100.201', 'next to the Alibaba metadata address'],
      ['https://[fec0::1]', 'just above fe80::/10'],
      ['https://[fd12:3456::1]:6443', 'IPv6 unique local'],
      ['https://[2001:db8::1]', 'global IPv6'],
      ['https://[::ffff:10.0.0.1]', 'IPv4-mapped private'],
      ['https://metadata.example.com', 'a name that only contains "metadata"'],
      ['https://169.254.169.254.nip.io', 'a DNS name (checked at connect time)'],
    ])('accepts %s (%s)', (text) => {
      expect(url(text)).toBe('OK');
    });
  });

  describe('loopback hosts need allowLoopback', () => {
    it.each([
      ['https://127.0.0.1:6443'],
      ['https://127.255.255.254'],
      ['https://127.1'],
      ['https://2130706433'],
      ['https://0x7f.1'],
      ['https://[::1]:6443'],
      ['https://[::ffff:127.0.0.1]'],
      ['https://localhost:6443'],
      ['https://LOCALHOST.'],
      ['https://api.localhost'],
      ['https://localhost.localdomain'],
      ['https://ip6-localhost'],
    ])('%s → CLUSTER_URL_LOOPBACK_FORBIDDEN by default, accepted when allowed', (text) => {
      expect(url(text, STRICT)).toBe('CLUSTER_URL_LOOPBACK_FORBIDDEN');
      expect(url(text, LOOPBACK)).toBe('OK');
    });

    it('accepts the first address after 127.0.0.0/8', () => {
      expect(url('https://128.0.0.1')).toBe('OK');
    });
  });

  describe('only https, plain http only for an allowed loopback host', () => {
    it.each([
      ['http://10.0.0.1:6443', DEMO],
      ['http://api.example.com', DEMO],
      ['http://127.0.0.1:8080', LOOPBACK],
      ['http://127.0.0.1:8080', STRICT],
      ['ftp://api.example.com', DEMO],
      ['wss://api.example.com', DEMO],
    ])('%s → CLUSTER_URL_INSECURE_SCHEME', (text, policy) => {
      expect(url(text, policy)).toBe('CLUSTER_URL_INSECURE_SCHEME');
    });

    it.each([['http://127.0.0.1:8080'], ['http://localhost:8080'], ['http://[::1]:8080']])(
      'accepts %s with allowPlainHttpLoopback and allowLoopback',
      (text) => {
        expect(url(text, DEMO)).toBe('OK');
      },
    );

    it('still needs allowLoopback for a plain-http loopback URL', () => {
      expect(url('http://127.0.0.1:8080', { ...STRICT, allowPlainHttpLoopback: true })).toBe(
        'CLUSTER_URL_LOOPBACK_FORBIDDEN',
      );
    });

    it('names the scheme in the details', () => {
      expect(errorOf(() => assertSafeServerUrl('http://10.0.0.1', STRICT)).details).toEqual({
        scheme: 'http',
      });
    });
  });

  it('returns the URL as WHATWG normalised it', () => {
    const parsed = assertSafeServerUrl('HTTPS://API.Example.COM:443/', STRICT);
    expect(parsed.hostname).toBe('api.example.com');
    expect(parsed.port).toBe('');
  });
});

describe('formatServerUrl', () => {
  it.each([
    ['https://api.example.com:6443/', 'https://api.example.com:6443'],
    ['https://api.example.com:443', 'https://api.example.com'],
    [
      'https://rancher.example.com/k8s/clusters/c-1/',
      'https://rancher.example.com/k8s/clusters/c-1',
    ],
    ['https://[2001:DB8::1]:6443', 'https://[2001:db8::1]:6443'],
    ['https://167772161:6443', 'https://10.0.0.1:6443'],
  ])('%s → %s, the form client-node appends /api paths to', (text, expected) => {
    expect(formatServerUrl(assertSafeServerUrl(text, STRICT))).toBe(expected);
  });
});

describe('assertSafeResolvedAddress', () => {
  const address = (ip: string, policy: ConnectionPolicy = STRICT) =>
    outcome(() => assertSafeResolvedAddress(ip, policy));

  it.each([
    ['169.254.169.254'],
    ['::ffff:169.254.169.254'],
    ['fe80::1%eth0'],
    ['0.0.0.0'],
    ['::'],
    ['224.0.0.251'],
    ['ff02::fb'],
    ['64:ff9b::a9fe:a9fe'],
  ])('refuses a name resolving to %s', (ip) => {
    expect(address(ip)).toBe('CLUSTER_URL_FORBIDDEN_ADDRESS');
  });

  it.each([['127.0.0.1'], ['127.0.1.1'], ['::1'], ['::ffff:127.0.0.1']])(
    'refuses loopback %s unless allowed',
    (ip) => {
      expect(address(ip, STRICT)).toBe('CLUSTER_URL_LOOPBACK_FORBIDDEN');
      expect(address(ip, LOOPBACK)).toBe('OK');
    },
  );

  it.each([['10.0.0.1'], ['192.168.49.2'], ['2001:db8::1'], ['::ffff:10.1.2.3']])(
    'accepts %s',
    (ip) => {
      expect(address(ip)).toBe('OK');
    },
  );

  it('refuses something that is not an IP address', () => {
    expect(address('example.com')).toBe('CLUSTER_URL_INVALID');
  });
});
