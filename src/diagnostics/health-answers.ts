import { ClusterHealthScore, clusterHealth } from './health-score';
import type { SilencedFindings } from './silenced-findings';

/** A cluster's scores as last computed, with what they were computed from. */
interface Scored {
  view: SilencedFindings;
  version: number;
  names: string;
  health: ClusterHealthScore;
  silenced: number;
}

/**
 * The health scores of each cluster, computed again only when a finding, a marker or the
 * namespaces changed: the history samples them every tick, and scoring the 20,000 findings of a
 * quiet 10k-pod cluster held the event loop ~25 ms each time for the same answer.
 */
export class HealthAnswers {
  private readonly byCluster = new Map<string, Scored>();

  /** The scores of `view`'s counted findings over `namespaces`; `total` is every finding's count. */
  of(
    clusterId: string,
    view: SilencedFindings,
    namespaces: string[],
    total: number,
  ): ClusterHealthScore & { silenced: number } {
    const names = namespaces.join('\n');
    let known = this.byCluster.get(clusterId);
    if (known?.view !== view || known.version !== view.version || known.names !== names) {
      const counted = view.counted();
      known = {
        view,
        version: view.version,
        names,
        health: clusterHealth(counted, namespaces),
        silenced: total - counted.length,
      };
      this.byCluster.set(clusterId, known);
    }
    return { ...known.health, silenced: known.silenced };
  }

  clear(): void {
    this.byCluster.clear();
  }
}
