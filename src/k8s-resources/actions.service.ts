import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { ServedKind } from '../kubernetes/discovery';
import { kindKey } from '../kubernetes/kinds';
import type { ObjectApi } from '../kubernetes/object-api';
import type { ObjectOptions, ObjectRef } from '../kubernetes/object-ref';
import { K8sObject, objectView } from './object-views';
import { ActionResultDto } from './actions.dto';
import { ResourcesService } from './resources.service';
import { previousRevision } from './rollout-undo';

const SCALABLE = ['deployments.apps', 'statefulsets.apps', 'replicasets.apps'];
const RESTARTABLE = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps'];

/** An action's object: the kind as the route names it, the name and (for namespaced kinds) the namespace. */
export interface ActionTarget {
  kind: string;
  name: string;
  namespace?: string;
}

type PodTarget = Omit<ActionTarget, 'kind'>;

interface Resolved {
  api: ObjectApi;
  ref: ObjectRef & { kind: ServedKind; name: string };
}

/** The safe actions: each one request, each honouring server-side dry run; audit is automatic. */
@Injectable()
export class ActionsService {
  constructor(private readonly resources: ResourcesService) {}

  /** `options.resourceVersion` makes the scale conditional. */
  async scale(
    clusterId: string,
    target: ActionTarget,
    replicas: number,
    options: ObjectOptions,
  ): Promise<ActionResultDto> {
    const { api, ref } = await this.resolve(clusterId, target, SCALABLE, 'scale');
    return this.result(ref, 'scale', options, await api.scale(ref, replicas, options));
  }

  /** What `kubectl rollout restart` does: a new template annotation makes the controller roll the pods. */
  async restart(
    clusterId: string,
    target: ActionTarget,
    options: ObjectOptions,
  ): Promise<ActionResultDto> {
    const { api, ref } = await this.resolve(clusterId, target, RESTARTABLE, 'restart');
    const restartedAt = { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() };
    const patch = { spec: { template: { metadata: { annotations: restartedAt } } } };
    return this.result(ref, 'restart', options, await api.mergePatch(ref, patch, options));
  }

  /**
   * What `kubectl rollout undo` does: the Deployment's pod template goes back to its previous
   * revision's. Conditional on `options.resourceVersion` when given (a proposal's conflict check).
   */
  async rollback(
    clusterId: string,
    target: ActionTarget,
    options: ObjectOptions,
  ): Promise<ActionResultDto> {
    const { api, ref } = await this.resolve(clusterId, target, ['deployments.apps'], 'rollback');
    const deployment = await api.get(ref);
    const replicaSets = await api.listAll({ kind: 'replicasets.apps', namespace: ref.namespace });
    const { body } = previousRevision(deployment, replicaSets.items);
    return this.result(ref, 'rollback', options, await api.replace(ref, body, options));
  }

  cordon(clusterId: string, name: string, options: ObjectOptions): Promise<ActionResultDto> {
    return this.setSchedulable(clusterId, name, 'cordon', options);
  }

  uncordon(clusterId: string, name: string, options: ObjectOptions): Promise<ActionResultDto> {
    return this.setSchedulable(clusterId, name, 'uncordon', options);
  }

  deletePod(clusterId: string, pod: PodTarget, options: ObjectOptions): Promise<ActionResultDto> {
    return this.onPod(clusterId, pod, 'delete', options, (api, ref) => api.delete(ref, options));
  }

  /** Eviction goes through the API, so PodDisruptionBudgets are honoured (unlike a delete). */
  evict(clusterId: string, pod: PodTarget, options: ObjectOptions): Promise<ActionResultDto> {
    return this.onPod(clusterId, pod, 'evict', options, async (api, ref) => {
      await api.evict(ref, options);
      return null;
    });
  }

  private async onPod(
    clusterId: string,
    pod: PodTarget,
    action: 'delete' | 'evict',
    options: ObjectOptions,
    run: (api: ObjectApi, ref: Resolved['ref']) => Promise<K8sObject | null>,
  ): Promise<ActionResultDto> {
    const target = { ...pod, kind: 'pods' };
    const { api, ref } = await this.resolve(clusterId, target, ['pods'], action);
    return this.result(ref, action, options, await run(api, ref));
  }

  private async setSchedulable(
    clusterId: string,
    name: string,
    action: 'cordon' | 'uncordon',
    options: ObjectOptions,
  ): Promise<ActionResultDto> {
    const { api, ref } = await this.resolve(clusterId, { kind: 'nodes', name }, ['nodes'], action);
    const patch = { spec: { unschedulable: action === 'cordon' ? true : null } };
    return this.result(ref, action, options, await api.mergePatch(ref, patch, options));
  }

  /** The served kind of the target, refused unless the action applies to it (the API checks the namespace). */
  private async resolve(
    clusterId: string,
    target: ActionTarget,
    allowed: string[],
    action: string,
  ): Promise<Resolved> {
    const api = await this.resources.api(clusterId);
    const kind = await api.resolve(target.kind);
    if (!allowed.includes(kindKey(kind)))
      throw new AppError(
        'METHOD_NOT_ALLOWED',
        `${action} applies to ${allowed.join(', ')}, not ${kindKey(kind)}`,
      );
    const namespace = kind.namespaced ? target.namespace : undefined;
    return { api, ref: { kind, name: target.name, namespace } };
  }

  private result(
    ref: Resolved['ref'],
    action: string,
    options: ObjectOptions,
    result: K8sObject | null,
  ): ActionResultDto {
    return {
      kind: ref.kind.kind,
      name: ref.name,
      namespace: ref.namespace ?? null,
      action,
      dryRun: options.dryRun === true,
      result: result ? objectView(result, ref.kind.kind, false) : null,
    };
  }
}
