import { LookupAddress, LookupAllOptions, LookupOneOptions, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ConnectionPolicy } from './cluster-connection';
import { assertSafeResolvedAddress } from './server-url-guard';

/** Resolves a host name to every address it has; `dns.lookup` unless a test points it elsewhere. */
export type HostResolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: HostResolver = (host) =>
  new Promise((resolve, reject) =>
    lookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * The `lookup` of a cluster's sockets: every address the host name resolves to is checked before
 * the socket may connect, so DNS cannot turn an accepted name into a metadata or (unless allowed)
 * loopback address — not even by answering differently between an earlier check and the connect
 * (DNS rebinding), because the answer checked here is the very one the socket dials.
 * Literal IP hosts never reach a lookup; the URL guard checked them at registration.
 */
export class ResolvedAddressGuard {
  constructor(
    private readonly policy: ConnectionPolicy,
    private readonly resolver: HostResolver = systemResolver,
  ) {}

  /** The rules enforced, as a stable string: sockets may be shared only under the same rules. */
  get rules(): string {
    const { allowLoopback, allowPlainHttpLoopback, allowInsecureSkipTlsVerify } = this.policy;
    return JSON.stringify([allowLoopback, allowPlainHttpLoopback, allowInsecureSkipTlsVerify]);
  }

  /** For net/tls `connect({ lookup })`; refusals surface as the AppError of assertSafeResolvedAddress. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolveChecked(hostname, options).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };

  private async resolveChecked(
    hostname: string,
    options: LookupOneOptions | LookupAllOptions,
  ): Promise<LookupAddress[]> {
    const addresses = await this.resolver(hostname);
    for (const { address } of addresses) assertSafeResolvedAddress(address, this.policy);
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const wanted = family ? addresses.filter((a) => a.family === family) : addresses;
    if (!wanted.length)
      throw Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' });
    return wanted;
  }
}
