import type { PdbRecord } from '../../cluster-state/records/policy';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';
import { coverageFinding } from './pdb-coverage';

const ref = (p: PdbRecord) => ({
  group: 'policy',
  kind: 'PodDisruptionBudget',
  namespace: p.namespace,
  name: p.name,
});

/**
 * PodDisruptionBudgets that cover no pod or ask for more than they cover (pdb-coverage.ts), and
 * those that allow no eviction even though every pod they cover is healthy: the budget itself
 * (minAvailable = replicas, or maxUnavailable 0) blocks node drains forever. A budget at zero
 * because pods are unhealthy is temporary, and its pods' own findings explain it.
 */
export function pdbs(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const p of input.list('poddisruptionbudgets')) {
    const coverage = coverageFinding(input, p, ref(p));
    if (coverage) {
      findings.push(coverage);
      continue;
    }
    if (p.expectedPods === 0 || p.disruptionsAllowed > 0 || p.currentHealthy < p.expectedPods)
      continue;
    findings.push({
      code: 'PDB_BLOCKS_EVICTION',
      severity: 'warning',
      object: ref(p),
      message: `The budget allows no disruption with all ${p.expectedPods} pods healthy: draining their nodes blocks.`,
      fields: {
        'spec.minAvailable': p.minAvailable,
        'spec.maxUnavailable': p.maxUnavailable,
        'status.expectedPods': p.expectedPods,
        'status.currentHealthy': p.currentHealthy,
        'status.disruptionsAllowed': p.disruptionsAllowed,
      },
      suggestion: 'Run more replicas than minAvailable, or set maxUnavailable to at least 1.',
    });
  }
  return findings;
}
