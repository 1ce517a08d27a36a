import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';

/** What a client's connections are opened with. */
export interface TlsMaterial {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** A client's TLS material and the credential headers each of its requests carries. */
export interface ClientCredentials {
  tls(): Promise<TlsMaterial>;
  headers(): Promise<Record<string, string>>;
}

/**
 * The credentials of a KubeConfig's current context. A registered cluster's are inline (the
 * kubeconfig guard refuses files, plugins and impersonation): a bearer token or a client
 * certificate, read here once, the TLS material as PEM strings. Not through client-node's
 * applyToHTTPSOptions: besides the headers, that builds and caches an https.Agent on the
 * KubeConfig that nothing here uses, whose certificate Buffers are slices of Node's 64 KiB
 * allocation pool, so every client kept a pool slab alive (most of the ArrayBuffer memory a
 * cluster cost a replica, docs/scaling.md). CloudPilot's own in-cluster identity (a CA file and a
 * token file that rotates) still goes through client-node, which re-reads the token.
 */
export function clientCredentials(kc: KubeConfig): ClientCredentials {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  const viaFiles = Boolean(
    cluster?.caFile || user?.certFile || user?.keyFile || user?.authProvider || user?.exec,
  );
  if (viaFiles) return clientNodeCredentials(kc);
  const tls: TlsMaterial = {
    ca: pem(cluster?.caData),
    cert: pem(user?.certData),
    key: pem(user?.keyData),
    rejectUnauthorized: cluster?.skipTLSVerify ? false : undefined,
    servername: cluster?.tlsServerName,
  };
  const headers: Record<string, string> = user?.token
    ? { Authorization: `Bearer ${user.token}` }
    : {};
  return { tls: () => Promise.resolve(tls), headers: () => Promise.resolve({ ...headers }) };
}

function clientNodeCredentials(kc: KubeConfig): ClientCredentials {
  return {
    async tls() {
      const options: RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      const { ca, cert, key, rejectUnauthorized, servername } = options;
      return { ca, cert, key, rejectUnauthorized, servername } as TlsMaterial;
    },
    async headers() {
      const options: RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.headers ?? {}))
        if (value !== undefined) headers[name] = String(value);
      return headers;
    },
  };
}

/** Inline kubeconfig data (base64 of PEM) as the PEM text itself. */
function pem(data: string | undefined): string | undefined {
  return data ? Buffer.from(data, 'base64').toString('latin1') : undefined;
}
