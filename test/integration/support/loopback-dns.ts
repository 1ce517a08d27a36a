import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import type { HostResolver } from '../../../src/kubernetes/resolved-address-guard';

/**
 * A tiny authoritative DNS server on a loopback address, for DNS-rebinding tests: every A query
 * for any name gets the next address of `answers` (the last one repeats), with TTL 0 so nothing
 * caches it. AAAA and other types get an empty NOERROR answer. Only what a stub resolver sends
 * (one question, no EDNS options read) is understood.
 */
export class LoopbackDns {
  readonly queries: string[] = [];
  private readonly socket: Socket = createSocket('udp4');
  private served = 0;

  private constructor(
    private readonly answers: string[],
    readonly host: string,
  ) {
    this.socket.on('message', (message, peer) => this.answer(message, peer));
  }

  static async start(answers: string[], host = '127.0.0.1'): Promise<LoopbackDns> {
    const dns = new LoopbackDns(answers, host);
    await new Promise<void>((resolve) => dns.socket.bind(0, host, resolve));
    return dns;
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** A resolver for ResolvedAddressGuard that asks only this server. */
  resolver(): HostResolver {
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`${this.host}:${this.port}`]);
    return async (name) =>
      (await resolver.resolve4(name)).map((address) => ({ address, family: 4 }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer, peer: RemoteInfo): void {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset] !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString('ascii'));
      offset += query[offset] + 1;
    }
    const questionEnd = offset + 5;
    const type = query.readUInt16BE(offset + 1);
    const question = query.subarray(12, questionEnd);
    const isA = type === 1;
    if (isA) this.queries.push(labels.join('.'));
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180, 2); // response, recursion desired + available, NOERROR
    header.writeUInt16BE(1, 4); // one question
    header.writeUInt16BE(isA ? 1 : 0, 6); // answers
    const parts = [header, question];
    if (isA) {
      const address = this.answers[Math.min(this.served++, this.answers.length - 1)];
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // name: pointer to the question
      record.writeUInt16BE(1, 2); // A
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(0, 6); // TTL 0
      record.writeUInt16BE(4, 10);
      address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
      parts.push(record);
    }
    this.socket.send(Buffer.concat(parts), peer.port, peer.address);
  }
}
