import type { DiffEntry } from '../../k8s-resources/object-diff';
import type { ProposalStatus } from './llm-proposal.entity';

/** What a proposal may do, in the order the API document lists them. */
export const PROPOSAL_ACTIONS = [
  'apply',
  'scale',
  'restart',
  'cordon',
  'rollback',
  'uncordon',
  'delete-pod',
] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

/** What a proposing tool asks for; the service adds the dry run, the diff and the expiry. */
export interface ProposalDraft {
  action: ProposalAction;
  kind: string;
  namespace?: string;
  name?: string;
  params: { replicas?: number; manifest?: string };
  reason: string;
}

export interface ProposalView {
  id: string;
  sessionId: string | null;
  clusterId: string;
  action: ProposalAction;
  kind: string;
  namespace: string | null;
  name: string | null;
  params: ProposalDraft['params'];
  reason: string;
  /** What the API server answered to the dry run (slim view), and what would change. */
  dryRun: { result: unknown; diff: DiffEntry[] };
  resourceVersion: string | null;
  status: ProposalStatus;
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  resultCode: string | null;
}
