import { AppError } from '../common/app-error';
import type { K8sObject } from './object-views';

const REVISION = 'deployment.kubernetes.io/revision';
/** Added by the Deployment controller to each ReplicaSet's template; never part of the Deployment's. */
const TEMPLATE_HASH = 'pod-template-hash';

const revisionOf = (o: K8sObject): number =>
  Number((o.metadata as { annotations?: Record<string, string> })?.annotations?.[REVISION] ?? 0) ||
  0;

/**
 * What `kubectl rollout undo` computes: the Deployment with the pod template of its previous
 * revision (the ReplicaSet it owns with the highest revision below the current one), or of
 * `toRevision`. Pure: the caller lists the ReplicaSets and writes the result.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-back-a-deployment
 */
export function previousRevision(
  deployment: K8sObject,
  replicaSets: readonly K8sObject[],
  toRevision?: number,
): { revision: number; body: K8sObject } {
  const uid = (deployment.metadata as { uid?: string }).uid;
  const current = revisionOf(deployment);
  const owned = replicaSets.filter((rs) =>
    (
      (rs.metadata as { ownerReferences?: { uid: string; controller?: boolean }[] })
        .ownerReferences ?? []
    ).some((o) => o.uid === uid && o.controller),
  );
  const candidates = owned
    .filter((rs) => (toRevision ? revisionOf(rs) === toRevision : revisionOf(rs) < current))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  const target = candidates[0];
  if (!target)
    throw new AppError(
      'K8S_NOT_FOUND',
      toRevision
        ? `Revision ${toRevision} of this Deployment no longer exists`
        : 'This Deployment has no previous revision to return to',
    );
  const template = structuredClone((target.spec as { template: K8sObject }).template);
  const labels = (template.metadata as { labels?: Record<string, string> } | undefined)?.labels;
  if (labels) delete labels[TEMPLATE_HASH];
  // The server keeps managedFields and status when an update leaves them out.
  const { status: _status, ...body } = structuredClone(deployment);
  delete (body.metadata as { managedFields?: unknown }).managedFields;
  (body.spec as { template: K8sObject }).template = template;
  return { revision: revisionOf(target), body };
}
