import { ResolvedAddressGuard } from './resolved-address-guard';

const strict = {
  allowLoopback: false,
  allowPlainHttpLoopback: false,
  allowInsecureSkipTlsVerify: false,
};

describe('ResolvedAddressGuard', () => {
  // "localhost" resolves through the hosts file, so this exercises the real resolver without a network.
  it('refuses a host name that resolves to a loopback address unless loopback is allowed', async () => {
    await expect(
      new ResolvedAddressGuard('localhost', strict).assertSafe('c1'),
    ).rejects.toMatchObject({ code: 'CLUSTER_URL_LOOPBACK_FORBIDDEN' });
    await expect(
      new ResolvedAddressGuard('localhost', { ...strict, allowLoopback: true }).assertSafe('c1'),
    ).resolves.toBeUndefined();
  });

  it('leaves literal IP addresses to the URL guard (already checked at registration)', async () => {
    await expect(
      new ResolvedAddressGuard('127.0.0.1', strict).assertSafe('c1'),
    ).resolves.toBeUndefined();
    await expect(
      new ResolvedAddressGuard('[::1]', strict).assertSafe('c1'),
    ).resolves.toBeUndefined();
  });
});
