// List-and-watch over the API server's HTTPS API with the admin kubeconfig's client certificate:
// a minimal informer (list, then watch from its resourceVersion, relist on 410 or a broken
// stream). The simulator has no dependencies, like the rest of the harness scripts.
import fs from 'node:fs';
import https from 'node:https';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connection settings from a kubeconfig written by cluster:up (JSON, inline credentials). */
export function readKubeconfig(file) {
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  const cluster = config.clusters[0].cluster;
  const user = config.users[0].user;
  const b64 = (s) => (s ? Buffer.from(s, 'base64') : undefined);
  return {
    server: cluster.server,
    agent: new https.Agent({
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
      keepAlive: true,
    }),
    token: user.token,
  };
}

function request(conn, apiPath, { timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(apiPath, conn.server),
      {
        agent: conn.agent,
        headers: {
          Accept: 'application/json',
          ...(conn.token ? { Authorization: `Bearer ${conn.token}` } : {}),
        },
        timeout: timeoutMs,
      },
      resolve,
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${apiPath} timed out`)));
    req.end();
  });
}

async function getJson(conn, apiPath) {
  const res = await request(conn, apiPath);
  let body = '';
  res.setEncoding('utf8');
  for await (const chunk of res) body += chunk;
  if (res.statusCode !== 200)
    throw new Error(`GET ${apiPath}: ${res.statusCode} ${body.slice(0, 200)}`);
  return JSON.parse(body);
}

/**
 * Keeps `store` (key "namespace/name" → slim(object)) in sync with a collection, calling
 * `onChange()` after every change. Runs until the process ends.
 */
export class Informer {
  constructor(conn, collectionPath, { slim, onChange, log }) {
    this.conn = conn;
    this.path = collectionPath;
    this.slim = slim;
    this.onChange = onChange;
    this.log = log;
    this.store = new Map();
    this.synced = false;
  }

  static key(obj) {
    return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
  }

  async run() {
    for (;;) {
      try {
        const rv = await this.list();
        await this.watch(rv);
      } catch (err) {
        this.log(`${this.path}: ${err.message}; relisting`);
        await sleep(1_000);
      }
    }
  }

  async list() {
    const list = await getJson(this.conn, this.path);
    this.store = new Map(list.items.map((o) => [Informer.key(o), this.slim(o)]));
    this.synced = true;
    this.onChange();
    return list.metadata.resourceVersion;
  }

  /** Follows the watch until the server ends it; returns to relist on 410 Gone. */
  async watch(resourceVersion) {
    let rv = resourceVersion;
    for (;;) {
      const query = `?watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=300`;
      const res = await request(this.conn, this.path + query, { timeoutMs: 330_000 });
      if (res.statusCode !== 200) throw new Error(`watch answered ${res.statusCode}`);
      let buffer = '';
      res.setEncoding('utf8');
      for await (const chunk of res) {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.trim()) continue;
          const event = JSON.parse(line);
          if (event.type === 'ERROR') throw new Error(`watch error ${event.object?.code}`);
          rv = event.object.metadata.resourceVersion;
          this.apply(event);
        }
      }
    }
  }

  apply({ type, object }) {
    if (type === 'BOOKMARK') return;
    const key = Informer.key(object);
    if (type === 'DELETED') this.store.delete(key);
    else this.store.set(key, this.slim(object));
    this.onChange();
  }
}
