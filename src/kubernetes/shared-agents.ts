import { createHash } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { TlsMaterial } from './client-credentials';

/** What decides whether two clients may share connections: where, and with which TLS identity. */
export interface AgentIdentity {
  server: string;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
  rejectUnauthorized?: boolean;
  servername?: string;
  /** The address rules its sockets' lookups enforce ('' when none: CloudPilot's own identity). */
  addressRules: string;
}

interface Entry {
  agent: Agent;
  users: number;
}

/**
 * One keep-alive agent (so one TLS context and one pool of HTTP/2 connections) per distinct API
 * server and TLS identity, shared by every client that connects the same way: a cluster registered
 * several times, or several clusters behind one proxy, then multiplexes all its watches on a few
 * connections instead of holding a TLS session per registration. Bearer tokens are not part of the
 * identity: they travel per request, as client-go's transport cache also shares connections
 * across them. Reference-counted: the agent closes when its last client is closed.
 */
export class SharedAgents {
  private readonly entries = new Map<string, Entry>();

  /** The agent for this identity, created by `create` for the first client that needs it. */
  acquire(
    identity: AgentIdentity,
    create: () => Agent,
  ): { agent: Agent; release(): Promise<void> } {
    const key = identityKey(identity);
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { agent: create(), users: 0 }));
    entry.users += 1;
    const held = entry;
    let released = false;
    return {
      agent: held.agent,
      release: async () => {
        if (released) return;
        released = true;
        held.users -= 1;
        if (held.users > 0 || this.entries.get(key) !== held) return;
        this.entries.delete(key);
        await held.agent.close();
      },
    };
  }

  /** Distinct agents open now (tests and benchmarks count them). */
  get size(): number {
    return this.entries.size;
  }
}

/** A digest, so key material is not kept a second time as a map key. */
function identityKey(identity: AgentIdentity): string {
  const hash = createHash('sha256');
  for (const part of [
    identity.server,
    pem(identity.ca),
    pem(identity.cert),
    pem(identity.key),
    String(identity.rejectUnauthorized),
    identity.servername ?? '',
    identity.addressRules,
  ])
    hash.update(`${part.length}:${part}`);
  return hash.digest('base64url');
}

function pem(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(pem).join('\n');
  return Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
}

/**
 * A keep-alive agent with the TLS material of a cluster (HTTP/2 when the API server offers it, as
 * kube-apiserver does). `lookup`: the address guard's, so the address checked is the one dialled.
 */
export function newAgent(tls: TlsMaterial, lookup?: LookupFunction): Agent {
  const connect = buildConnector({
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    rejectUnauthorized: tls.rejectUnauthorized,
    servername: tls.servername,
    // Like client-go: probe idle connections before cloud load balancers drop them (60 s).
    keepAlive: true,
    keepAliveInitialDelay: 30_000,
    // No TLS session resumption, as in client-go (Go's TLS client caches no sessions by default):
    // connections to an API server live for hours, and each socket kept the resumed session's
    // Buffer, a slice of Node's 64 KiB allocation pool, alive in its options.
    maxCachedSessions: 0,
    lookup,
  });
  return new Agent({
    connect: (options, callback) =>
      connect(options, (error, socket) => {
        if (socket) forgetHandshakeBuffers(socket);
        (callback as (...args: unknown[]) => void)(error, socket);
      }),
  });
}

/**
 * A TLS socket keeps the options it was opened with for its whole life, and among them the ALPN
 * list as a 12-byte Buffer that Node cut from its shared 64 KiB allocation pool: each connection
 * to an API server so kept a pool slab alive (heap snapshots of a 50-cluster replica: one per
 * connection, about 40 KiB per cluster). The list is read only by the handshake, over once the
 * connector calls back.
 */
function forgetHandshakeBuffers(socket: object): void {
  const options = (socket as { _tlsOptions?: { ALPNProtocols?: unknown } })._tlsOptions;
  if (options) options.ALPNProtocols = undefined;
}
