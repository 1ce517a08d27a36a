import type { LookupAddress } from 'node:dns';
import { ResolvedAddressGuard } from './resolved-address-guard';

const strict = {
  allowLoopback: false,
  allowPlainHttpLoopback: false,
  allowInsecureSkipTlsVerify: false,
};

/** Calls the guard's lookup as net.connect does, with `all` set or not. */
function lookup(guard: ResolvedAddressGuard, host: string, all: boolean): Promise<unknown> {
  return new Promise((resolve, reject) =>
    guard.lookup(host, { all }, (error, address, family) =>
      error ? reject(error) : resolve(all ? address : { address, family }),
    ),
  );
}

const answering =
  (...addresses: LookupAddress[]) =>
  async () =>
    addresses;

describe('ResolvedAddressGuard.lookup', () => {
  // "localhost" resolves through the hosts file, so this exercises the real resolver without a network.
  it('refuses a host name that resolves to a loopback address unless loopback is allowed', async () => {
    await expect(lookup(new ResolvedAddressGuard(strict), 'localhost', true)).rejects.toMatchObject(
      { code: 'CLUSTER_URL_LOOPBACK_FORBIDDEN' },
    );
    await expect(
      lookup(new ResolvedAddressGuard({ ...strict, allowLoopback: true }), 'localhost', true),
    ).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ family: 4 })]));
  });

  it('refuses the whole answer when any address in it is forbidden', async () => {
    const guard = new ResolvedAddressGuard(
      { ...strict, allowLoopback: true },
      answering({ address: '127.0.0.1', family: 4 }, { address: '169.254.169.254', family: 4 }),
    );
    await expect(lookup(guard, 'cluster.example', false)).rejects.toMatchObject({
      code: 'CLUSTER_URL_FORBIDDEN_ADDRESS',
    });
  });

  it('answers in the shape net.connect asked for', async () => {
    const guard = new ResolvedAddressGuard(
      strict,
      answering({ address: '10.0.0.7', family: 4 }, { address: 'fd00::7', family: 6 }),
    );
    await expect(lookup(guard, 'cluster.example', false)).resolves.toEqual({
      address: '10.0.0.7',
      family: 4,
    });
    await expect(lookup(guard, 'cluster.example', true)).resolves.toHaveLength(2);
  });

  it('passes on a resolver failure, which the adapter reports as unreachable', async () => {
    const failing = new ResolvedAddressGuard(strict, async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    });
    await expect(lookup(failing, 'nowhere.example', true)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});
