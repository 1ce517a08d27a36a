import { Injectable } from '@nestjs/common';
import { discover, Discovery } from './discovery';
import { KubeClient } from './kube-client';

/** How long a cluster's discovery is trusted before it is read again. */
const TTL_MS = 5 * 60_000;
/** A lookup that misses re-reads discovery, but not more often than this (a CRD just installed). */
const MISS_REFRESH_MS = 3_000;

interface Entry {
  discovery?: Discovery;
  pending?: Promise<Discovery>;
}

/**
 * One discovery per cluster, kept beside the client pool: keyed by the KubeClient itself, so a
 * changed connection (which makes the pool build a new client) starts from a fresh discovery and
 * the old one is garbage-collected with its client. Concurrent readers share one request.
 */
@Injectable()
export class ClusterDiscovery {
  private readonly entries = new WeakMap<KubeClient, Entry>();

  async get(client: KubeClient): Promise<Discovery> {
    const entry = this.entry(client);
    if (entry.discovery && Date.now() - entry.discovery.fetchedAt < TTL_MS) return entry.discovery;
    return this.refresh(client);
  }

  /**
   * Called when a kind is not found: re-reads discovery unless it is younger than a few seconds,
   * so a CRD created a moment ago is served on the next request without a discovery storm.
   */
  async refreshAfterMiss(client: KubeClient): Promise<Discovery> {
    const current = this.entry(client).discovery;
    if (current && Date.now() - current.fetchedAt < MISS_REFRESH_MS) return current;
    return this.refresh(client);
  }

  refresh(client: KubeClient): Promise<Discovery> {
    const entry = this.entry(client);
    entry.pending ??= discover(client)
      .then((discovery) => (entry.discovery = discovery))
      .finally(() => (entry.pending = undefined));
    return entry.pending;
  }

  private entry(client: KubeClient): Entry {
    let entry = this.entries.get(client);
    if (!entry) this.entries.set(client, (entry = {}));
    return entry;
  }
}
