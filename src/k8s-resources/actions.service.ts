import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { KubeClient } from '../kubernetes/kube-client';
import type { ServedKind } from '../kubernetes/discovery';
import { resourceKey } from './kind-resolver';
import { K8sObject, objectView } from './object-views';
import { ActionResultDto } from './actions.dto';
import { ResourcesService } from './resources.service';

const SCALABLE = ['deployments.apps', 'statefulsets.apps', 'replicasets.apps'];
const RESTARTABLE = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps'];
const MERGE_PATCH = 'application/merge-patch+json';

interface Target {
  client: KubeClient;
  resource: ServedKind;
  name: string;
  namespace: string | undefined;
  dryRun: boolean;
}

/** The safe actions: each one request, each honouring server-side dry run; audit is automatic. */
@Injectable()
export class ActionsService {
  constructor(private readonly resources: ResourcesService) {}

  async scale(
    clusterId: string,
    kindRef: string,
    name: string,
    namespace: string | undefined,
    dryRun: boolean,
    replicas: number,
    resourceVersion?: string,
  ): Promise<ActionResultDto> {
    const t = await this.target(clusterId, kindRef, name, namespace, dryRun, SCALABLE, 'scale');
    const body = {
      spec: { replicas },
      ...(resourceVersion ? { metadata: { resourceVersion } } : {}),
    };
    return this.patch(t, 'scale', body, '/scale');
  }

  /** What `kubectl rollout restart` does: a new template annotation makes the controller roll the pods. */
  async restart(
    clusterId: string,
    kindRef: string,
    name: string,
    namespace: string | undefined,
    dryRun: boolean,
  ): Promise<ActionResultDto> {
    const t = await this.target(
      clusterId,
      kindRef,
      name,
      namespace,
      dryRun,
      RESTARTABLE,
      'restart',
    );
    const body = {
      spec: {
        template: {
          metadata: {
            annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() },
          },
        },
      },
    };
    return this.patch(t, 'restart', body);
  }

  async setSchedulable(
    clusterId: string,
    name: string,
    dryRun: boolean,
    schedulable: boolean,
  ): Promise<ActionResultDto> {
    const t = await this.target(
      clusterId,
      'nodes',
      name,
      undefined,
      dryRun,
      ['nodes'],
      schedulable ? 'uncordon' : 'cordon',
    );
    return this.patch(t, schedulable ? 'uncordon' : 'cordon', {
      spec: { unschedulable: schedulable ? null : true },
    });
  }

  async deletePod(
    clusterId: string,
    name: string,
    namespace: string | undefined,
    dryRun: boolean,
  ): Promise<ActionResultDto> {
    const t = await this.target(clusterId, 'pods', name, namespace, dryRun, ['pods'], 'delete');
    const result = await t.client.request<K8sObject>({
      method: 'DELETE',
      path: this.resources.path(t.resource, namespace, name),
      query: { dryRun: dryRun ? 'All' : undefined },
    });
    return this.result(t, 'delete', result);
  }

  /** Eviction goes through the API, so PodDisruptionBudgets are honoured (unlike a delete). */
  async evict(
    clusterId: string,
    name: string,
    namespace: string | undefined,
    dryRun: boolean,
  ): Promise<ActionResultDto> {
    const t = await this.target(clusterId, 'pods', name, namespace, dryRun, ['pods'], 'evict');
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name, namespace },
      ...(dryRun ? { deleteOptions: { dryRun: ['All'] } } : {}),
    };
    try {
      await t.client.request({
        method: 'POST',
        path: `${this.resources.path(t.resource, namespace, name)}/eviction`,
        body,
      });
    } catch (error) {
      // The API server answers 429 when a disruption budget forbids the eviction right now.
      if (error instanceof AppError && error.code === 'K8S_THROTTLED') {
        throw new AppError(
          'K8S_DISRUPTION_BUDGET_VIOLATION',
          `Evicting pod ${name} would violate its PodDisruptionBudget`,
          { name, namespace },
        );
      }
      throw error;
    }
    return this.result(t, 'evict', null);
  }

  private async target(
    clusterId: string,
    kindRef: string,
    name: string,
    namespace: string | undefined,
    dryRun: boolean,
    allowed: string[],
    action: string,
  ): Promise<Target> {
    const { client, resource } = await this.resources.resolve(clusterId, kindRef);
    if (!allowed.includes(resourceKey(resource)))
      throw new AppError(
        'METHOD_NOT_ALLOWED',
        `${action} applies to ${allowed.join(', ')}, not ${resourceKey(resource)}`,
      );
    if (resource.namespaced && !namespace)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'namespace', errors: [`${resource.kind} is namespaced: namespace is required`] },
      ]);
    return {
      client,
      resource,
      name,
      namespace: resource.namespaced ? namespace : undefined,
      dryRun,
    };
  }

  private async patch(
    t: Target,
    action: string,
    body: unknown,
    subresource = '',
  ): Promise<ActionResultDto> {
    const result = await t.client.request<K8sObject>({
      method: 'PATCH',
      path: `${this.resources.path(t.resource, t.namespace, t.name)}${subresource}`,
      body,
      contentType: MERGE_PATCH,
      query: { dryRun: t.dryRun ? 'All' : undefined, fieldManager: 'cloudpilot' },
    });
    return this.result(t, action, result);
  }

  private result(t: Target, action: string, result: K8sObject | null): ActionResultDto {
    return {
      kind: t.resource.kind,
      name: t.name,
      namespace: t.namespace ?? null,
      action,
      dryRun: t.dryRun,
      result: result ? objectView(result, t.resource.kind, false) : null,
    };
  }
}
