import { Injectable } from '@nestjs/common';
import { ActionsService } from '../../k8s-resources/actions.service';
import { ApplyService } from '../../k8s-resources/apply.service';
import { diffObjects, DiffEntry } from '../../k8s-resources/object-diff';
import { ResourcesService } from '../../k8s-resources/resources.service';
import type { K8sObject } from '../../kubernetes/k8s-object';
import type { ObjectOptions } from '../../kubernetes/object-ref';
import type { ProposalDraft } from './proposal-types';

export interface Outcome {
  result: unknown;
  diff: DiffEntry[];
  resourceVersion: string | null;
}

/**
 * Runs a drafted change through K8sResources' own actions and apply (the one mutation path):
 * as a server-side dry run when proposed, for real when approved.
 */
@Injectable()
export class ProposalExecutor {
  constructor(
    private readonly resources: ResourcesService,
    private readonly actions: ActionsService,
    private readonly applier: ApplyService,
  ) {}

  /** The target's current resourceVersion (null for apply, whose targets are the manifest's). */
  async currentVersion(clusterId: string, d: ProposalDraft): Promise<string | null> {
    if (d.action === 'apply' || !d.name) return null;
    const obj = await this.resources.get(clusterId, d.kind, d.name, { namespace: d.namespace });
    return (obj.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? null;
  }

  async run(clusterId: string, d: ProposalDraft, dryRun: boolean, rv?: string): Promise<Outcome> {
    if (d.action === 'apply') return this.apply(clusterId, d, dryRun);
    const before = await this.resources.get(clusterId, d.kind, d.name!, { namespace: d.namespace });
    const done = await this.action(clusterId, d, { dryRun, resourceVersion: rv });
    return {
      result: done.result,
      diff: diffOf(d, before, done.result),
      resourceVersion:
        (before.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? null,
    };
  }

  private async apply(clusterId: string, d: ProposalDraft, dryRun: boolean): Promise<Outcome> {
    const manifest = d.params.manifest ?? '';
    const applied = await this.applier.apply(clusterId, manifest, d.namespace, { dryRun });
    const diff = applied.items.flatMap((i) =>
      (i.diff ?? []).map((e) => ({ ...e, path: `${i.kind}/${i.name}: ${e.path}` })),
    );
    return {
      result: applied.items.map(({ object: _o, ...row }) => row),
      diff,
      resourceVersion: null,
    };
  }

  /**
   * A scale and a rollback are conditional on the version the proposal was made from
   * (`options.resourceVersion`); the other actions act on the object as it is now.
   */
  private action(clusterId: string, d: ProposalDraft, options: ObjectOptions) {
    const target = { kind: d.kind, name: d.name!, namespace: d.namespace };
    const now = { dryRun: options.dryRun };
    switch (d.action) {
      case 'scale':
        return this.actions.scale(clusterId, target, d.params.replicas ?? 0, options);
      case 'restart':
        return this.actions.restart(clusterId, target, now);
      case 'rollback':
        return this.actions.rollback(clusterId, target, options);
      case 'delete-pod':
        return this.actions.deletePod(clusterId, target, now);
      case 'uncordon':
        return this.actions.uncordon(clusterId, target.name, now);
      default:
        return this.actions.cordon(clusterId, target.name, now);
    }
  }
}

/** What the action changes: the replicas of a scale, the pod of a delete, else the objects' difference. */
function diffOf(d: ProposalDraft, before: K8sObject, after: unknown): DiffEntry[] {
  if (d.action === 'scale')
    return [
      {
        path: 'spec.replicas',
        op: 'replace',
        from: (before.spec as { replicas?: number } | undefined)?.replicas,
        to: d.params.replicas,
      },
    ];
  if (d.action === 'delete-pod') return [{ path: '', op: 'remove' }];
  return diffObjects(before, after);
}
