import { connect, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of the real API server that counts the connections it
 * accepts: each one is a TLS connection a client opened (TLS passes through untouched).
 */
export class CountingProxy {
  accepted = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(target: URL) {
    this.server = createServer((client) => {
      this.accepted += 1;
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
  }

  static async start(apiServer: string): Promise<CountingProxy> {
    const proxy = new CountingProxy(new URL(apiServer));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Connections open right now (each counted once, client side). */
  get open(): number {
    return this.sockets.size / 2;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
