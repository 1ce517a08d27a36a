import { Injectable } from '@nestjs/common';
import { ActionsService } from '../../k8s-resources/actions.service';
import { ApplyService } from '../../k8s-resources/apply.service';
import { diffObjects, DiffEntry } from '../../k8s-resources/object-diff';
import { ResourcesService } from '../../k8s-resources/resources.service';
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
    if (d.action === 'apply') {
      const applied = await this.applier.apply(
        clusterId,
        d.params.manifest ?? '',
        d.namespace,
        dryRun,
        false,
      );
      const diff = applied.items.flatMap((i) =>
        (i.diff ?? []).map((e) => ({ ...e, path: `${i.kind}/${i.name}: ${e.path}` })),
      );
      return {
        result: applied.items.map(({ object: _o, ...row }) => row),
        diff,
        resourceVersion: null,
      };
    }
    const before = await this.resources.get(clusterId, d.kind, d.name!, { namespace: d.namespace });
    const done = await this.action(clusterId, d, dryRun, rv);
    const diff =
      d.action === 'scale'
        ? [
            {
              path: 'spec.replicas',
              op: 'replace' as const,
              from: (before.spec as any)?.replicas,
              to: d.params.replicas,
            },
          ]
        : d.action === 'delete-pod'
          ? [{ path: '', op: 'remove' as const }]
          : diffObjects(before, done.result);
    return {
      result: done.result,
      diff,
      resourceVersion:
        (before.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? null,
    };
  }

  private action(clusterId: string, d: ProposalDraft, dryRun: boolean, rv?: string) {
    switch (d.action) {
      case 'scale':
        return this.actions.scale(
          clusterId,
          d.kind,
          d.name!,
          d.namespace,
          dryRun,
          d.params.replicas ?? 0,
          rv,
        );
      case 'restart':
        return this.actions.restart(clusterId, d.kind, d.name!, d.namespace, dryRun);
      case 'delete-pod':
        return this.actions.deletePod(clusterId, d.name!, d.namespace, dryRun);
      default:
        return this.actions.setSchedulable(clusterId, d.name!, dryRun, d.action === 'uncordon');
    }
  }
}
