import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../common/app-error';
import { ConnectionPolicy } from './cluster-connection';
import { assertSafeResolvedAddress } from './server-url-guard';

const TTL_MS = 30_000;

/**
 * Checks, before a request, every address a cluster's host name resolves to, so DNS cannot turn an
 * accepted name into a metadata or (unless allowed) loopback address. Results are cached for 30 s.
 * A resolver answering differently between this check and the connection (rebinding within
 * milliseconds) is not covered: that needs the check inside the socket's own lookup.
 */
export class ResolvedAddressGuard {
  private checkedUntil = 0;

  constructor(
    private readonly host: string,
    private readonly policy: ConnectionPolicy,
  ) {}

  async assertSafe(clusterId: string): Promise<void> {
    if (isIP(this.host.replace(/^\[|\]$/g, '')) || Date.now() < this.checkedUntil) return;
    let addresses;
    try {
      addresses = await lookup(this.host, { all: true, verbatim: true });
    } catch {
      throw new AppError(
        'CLUSTER_UNREACHABLE',
        `Cluster ${clusterId}'s host name cannot be resolved`,
        { cluster: clusterId, cause: 'ENOTFOUND' },
      );
    }
    for (const { address } of addresses) assertSafeResolvedAddress(address, this.policy);
    this.checkedUntil = Date.now() + TTL_MS;
  }
}
