import type { Finding, ObjectRef, Severity } from '../cluster-state/finding';
import { HYGIENE_CODES } from './detectors/container-hygiene.detector';
import { UNUSED_CODES } from './detectors/unused-objects.detector';

/**
 * Points a finding costs, by severity. A grouped finding (100 crashing pods of one Deployment)
 * costs once: it is one thing to fix. See docs/diagnostics.md#health-score.
 */
export const SEVERITY_COST: Record<Severity, number> = { critical: 15, warning: 5, info: 1 };

/**
 * Advice rather than faults: container hygiene and unused objects cost no points. A busy cluster
 * has hundreds of workloads without probes or pinned images, running as intended; at 1 point each
 * they would floor every score and hide the faults the score is there to rank.
 */
export const ADVISORY_CODES: ReadonlySet<string> = new Set([...HYGIENE_CODES, ...UNUSED_CODES]);

const costOf = (f: Finding): number => (ADVISORY_CODES.has(f.code) ? 0 : SEVERITY_COST[f.severity]);

export interface Deduction {
  findingId: string;
  code: string;
  severity: Severity;
  object: ObjectRef;
  points: number;
}

export interface HealthScore {
  /** 100 − the sum of the deductions, never below 0. */
  score: number;
  counts: Record<Severity, number>;
  /** The findings that cost points, most expensive first. */
  deductions: Deduction[];
}

export function healthScore(findings: readonly Finding[]): HealthScore {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  const deductions: Deduction[] = [];
  for (const f of findings) {
    counts[f.severity]++;
    const points = costOf(f);
    if (points)
      deductions.push({
        findingId: f.id,
        code: f.code,
        severity: f.severity,
        object: f.object,
        points,
      });
  }
  deductions.sort((a, b) => b.points - a.points || a.code.localeCompare(b.code));
  const lost = deductions.reduce((sum, d) => sum + d.points, 0);
  return { score: Math.max(0, 100 - lost), counts, deductions };
}

export interface ClusterHealthScore {
  cluster: HealthScore;
  /** Every namespace of the cluster, healthy ones at 100; cluster-scoped findings (nodes, webhooks) count in `cluster` only. */
  namespaces: Array<HealthScore & { namespace: string }>;
}

export function clusterHealth(
  findings: readonly Finding[],
  namespaces: readonly string[],
): ClusterHealthScore {
  const byNamespace = new Map<string, Finding[]>(namespaces.map((n) => [n, []]));
  for (const f of findings) {
    if (!f.object.namespace) continue;
    const list = byNamespace.get(f.object.namespace);
    if (list) list.push(f);
    else byNamespace.set(f.object.namespace, [f]);
  }
  return {
    cluster: healthScore(findings),
    namespaces: [...byNamespace.entries()]
      .map(([namespace, list]) => ({ namespace, ...healthScore(list) }))
      .sort((a, b) => a.score - b.score || a.namespace.localeCompare(b.namespace)),
  };
}
