import { createHash } from 'node:crypto';

/** The weight of a replica for a cluster: 48 bits of SHA-256, the same on every replica. */
function weight(clusterId: string, replicaId: string): number {
  return createHash('sha256').update(`${clusterId}\n${replicaId}`).digest().readUIntBE(0, 6);
}

/**
 * Rendezvous (highest random weight) order of the replicas for one cluster: the first is its
 * owner, the next its second owner, and so on. Every replica computes the same order from the same
 * members with no coordination, and a member joining or leaving moves only the clusters it wins
 * or owned, unlike modulo hashing.
 * @see https://en.wikipedia.org/wiki/Rendezvous_hashing
 */
export function rendezvousOrder(clusterId: string, replicaIds: readonly string[]): string[] {
  return replicaIds
    .map((id) => ({ id, w: weight(clusterId, id) }))
    .sort((a, b) => b.w - a.w || (a.id < b.id ? -1 : 1))
    .map((r) => r.id);
}

/** The `factor` first replicas of the cluster's rendezvous order. */
export function ownersOf(
  clusterId: string,
  replicaIds: readonly string[],
  factor: number,
): string[] {
  return rendezvousOrder(clusterId, replicaIds).slice(0, factor);
}
