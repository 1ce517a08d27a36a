import type { CodeSwitches } from './code-switches';
import type { MirrorBatch } from '../monitor/cluster-snapshot';
import type { FindingChange } from './cluster-diagnostics';
import type { EvaluatedFinding } from '../cluster-state/finding';

/**
 * Messages between the process and its diagnostics worker (structured-cloned over one port, in
 * order). The process owns the snapshots and forwards what they hold and every change; the worker
 * evaluates and answers with the finding changes of each evaluation.
 */
export type ToWorker =
  | {
      type: 'open';
      clusterId: string;
      debounceMs: number;
      resyncMs: number;
      switches?: CodeSwitches;
    }
  | { type: 'batch'; clusterId: string; batch: MirrorBatch }
  /** The first fill is complete: the worker's engine starts following the mirror. */
  | { type: 'start'; clusterId: string }
  | { type: 'external'; clusterId: string; findings: EvaluatedFinding[] }
  /** Evaluate now (or join the running evaluation) and answer with `seq` when it ends. */
  | { type: 'evaluate'; clusterId: string; seq: number }
  | { type: 'close'; clusterId: string };

export type FromWorker =
  /** Part of an evaluation's changes, ahead of its `evaluated` message: no message is large. */
  | { type: 'changes'; clusterId: string; changes: FindingChange[] }
  | {
      type: 'evaluated';
      clusterId: string;
      changes: FindingChange[];
      evaluatedAt: number;
      evaluationMs: number;
      lastRun: { slices: number; longestSliceMs: number };
    }
  | { type: 'answered'; clusterId: string; seq: number };
