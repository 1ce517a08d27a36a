import type { ChangeCategory, FieldChange } from './change-diff';
import { RelatedObject, relatedKey } from './relations';

/** A stored change as the ranking reads it. */
export interface TimelineChange {
  id: string;
  at: string;
  kind: string;
  namespace: string;
  name: string;
  category: ChangeCategory;
  manager: string | null;
  summary: string;
  diff: FieldChange[];
}

export interface Suspect<C extends TimelineChange = TimelineChange> {
  rank: number;
  /** 0–1: time proximity × relation distance × how often such a change is a cause. */
  score: number;
  /** Why it is suspected, in one sentence. */
  reason: string;
  /** Seconds between the change and the finding's firstSeen (negative: just after). */
  secondsBefore: number;
  relation: RelatedObject;
  change: C;
}

/** Changes that were made after the finding began by at most this much still count (clock skew, batching). */
export const AFTER_SLACK_MS = 10_000;
/** A change this many minutes before the finding weighs half as much as one just before it. */
const HALF_WEIGHT_MINUTES = 5;

/**
 * How often a change of this category is the cause rather than a consequence or a bystander: a
 * rollout follows a template change, an autoscaler's replica change follows load, and an object's
 * creation is true of every new object.
 */
const CATEGORY_WEIGHT: Record<ChangeCategory, number> = {
  template: 1,
  data: 1,
  secret: 0.9,
  selector: 1,
  spec: 0.9,
  node: 1,
  autoscaling: 1,
  deleted: 0.9,
  replicas: 0.7,
  rollout: 0.5,
  created: 0.2,
};

/** Managers that act on their own (controllers): their changes are more often effects than causes. */
const AUTOMATED = /controller-manager|autoscaler|kube-scheduler|^kubelet$/;

function weightOf(change: TimelineChange): number {
  const base = CATEGORY_WEIGHT[change.category] ?? 0.5;
  return change.manager && AUTOMATED.test(change.manager) ? base * 0.5 : base;
}

/** How "…2 min before the crash loop began" ends for each finding code. */
const PROBLEMS: Record<string, string> = {
  POD_CRASH_LOOP: 'the crash loop began',
  POD_CONTAINER_CONFIG_ERROR: 'the container config error began',
  POD_UNSCHEDULABLE: 'its pods became unschedulable',
  SERVICE_NO_MATCHING_PODS: 'the Service lost its pods',
  SERVICE_NO_READY_ENDPOINTS: 'the Service lost its ready endpoints',
  HPA_AT_MAX_REPLICAS: 'the autoscaler hit its maximum',
  POD_IMAGE_PULL: 'the image pulls began failing',
  POD_OOM_KILLED: 'the OOM kills began',
  POD_NOT_READY: 'its pods became not ready',
};

export function problemOf(code: string): string {
  return PROBLEMS[code] ?? `${code} was first seen`;
}

function elapsed(ms: number): string {
  if (ms < 0) return 'as';
  const s = Math.round(ms / 1000);
  if (s < 1) return 'just before';
  if (s < 90) return `${s} s before`;
  const min = Math.round(s / 60);
  return min < 90 ? `${min} min before` : `${Math.round(min / 60)} h before`;
}

function where(r: RelatedObject): string {
  if (r.distance === 0) return `this ${r.kind}`;
  const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
  return `${r.kind} ${name} (${r.relation})`;
}

/** "image of container app changed from 1.4.2 to 1.5.0 on this Deployment 2 min before the crash loop began" */
export function suspectReason(
  change: TimelineChange,
  relation: RelatedObject,
  msBefore: number,
  code: string,
): string {
  const by = change.manager ? ` by ${change.manager}` : '';
  const when = elapsed(msBefore);
  return `${change.summary} on ${where(relation)}${by} ${when} ${problemOf(code)}`;
}

/**
 * The changes of the related objects in the window before a finding began, ranked: the closer in
 * time and in relation, and the likelier its category is a cause, the higher. Pure: the caller
 * reads the changes and the relations.
 */
export function rankSuspects<C extends TimelineChange>(
  finding: { code: string; firstSeen: string },
  related: readonly RelatedObject[],
  changes: readonly C[],
  limit = 10,
): Suspect<C>[] {
  const begin = Date.parse(finding.firstSeen);
  const byKey = new Map(related.map((r) => [relatedKey(r.kind, r.namespace, r.name), r]));
  const scored: Omit<Suspect<C>, 'rank'>[] = [];
  for (const change of changes) {
    const relation = byKey.get(relatedKey(change.kind, change.namespace, change.name));
    const msBefore = begin - Date.parse(change.at);
    if (!relation || msBefore < -AFTER_SLACK_MS) continue;
    const proximity = 1 / (1 + Math.max(0, msBefore) / 60_000 / HALF_WEIGHT_MINUTES);
    const score = proximity * weightOf(change) * (1 / (1 + relation.distance));
    scored.push({
      score: Math.round(score * 1000) / 1000,
      reason: suspectReason(change, relation, msBefore, finding.code),
      secondsBefore: Math.round(msBefore / 1000),
      relation,
      change,
    });
  }
  return scored
    .sort((a, b) => b.score - a.score || b.change.at.localeCompare(a.change.at))
    .slice(0, limit)
    .map((s, i) => ({ rank: i + 1, ...s }));
}
