import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { collectionPath, objectPath } from '../kubernetes/kinds';
import { KubeClient } from '../kubernetes/kube-client';
import { ClusterDiscovery } from '../kubernetes/cluster-discovery';
import { preferredResources, ServedKind } from '../kubernetes/discovery';
import { resolveKind, resourceKey } from './kind-resolver';
import { K8sObject, objectView } from './object-views';
import { ListQueryDto, ObjectQueryDto, ResourceListDto, ServedResourceDto } from './resources.dto';
import { hasSummary, summarize } from './summaries';

const DEFAULT_LIMIT = 100;

/** Browsing any kind a cluster serves, through the adapter; Secret values never leave this service. */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly discovery: ClusterDiscovery,
  ) {}

  /** The cluster's client and the served resource a `:kind` reference means. */
  async resolve(
    clusterId: string,
    kindRef: string,
  ): Promise<{ client: KubeClient; resource: ServedKind }> {
    const client = await this.clusters.client(clusterId);
    return {
      client,
      resource: await this.lookup(client, (served) => resolveKind(served, kindRef)),
    };
  }

  async client(clusterId: string): Promise<KubeClient> {
    return this.clusters.client(clusterId);
  }

  /** The served resource of a manifest's group and kind (its version may differ from the preferred one). */
  async resolveGroupKind(clusterId: string, group: string, kind: string): Promise<ServedKind> {
    return this.lookup(await this.clusters.client(clusterId), (served) => {
      const match = served.find((r) => r.group === group && r.kind === kind);
      if (match) return match;
      throw new AppError(
        'K8S_NOT_FOUND',
        `This cluster serves no ${kind} in group "${group || 'core'}"`,
        {
          group,
          kind,
        },
      );
    });
  }

  /** Path of a resource's collection, or of one object when `name` is given. */
  path(resource: ServedKind, namespace: string | undefined, name?: string): string {
    return name === undefined
      ? collectionPath(resource, resource.version, namespace)
      : objectPath(resource, resource.version, name, namespace);
  }

  async kinds(clusterId: string): Promise<ServedResourceDto[]> {
    const client = await this.clusters.client(clusterId);
    return (await this.served(client)).map((r) => ({ key: resourceKey(r), ...r }));
  }

  async list(clusterId: string, kindRef: string, query: ListQueryDto): Promise<ResourceListDto> {
    const { client, resource } = await this.resolve(clusterId, kindRef);
    assertVerb(resource, 'list');
    const page = await client.request<{
      metadata?: { continue?: string; remainingItemCount?: number };
      items: K8sObject[];
    }>({
      path: this.path(resource, resource.namespaced ? query.namespace : undefined),
      query: {
        labelSelector: query.labelSelector,
        fieldSelector: query.fieldSelector,
        limit: query.limit ?? DEFAULT_LIMIT,
        continue: query.continue,
      },
    });
    return {
      apiVersion: apiVersion(resource),
      kind: resource.kind,
      items: page.items.map((item) =>
        this.view(
          { apiVersion: apiVersion(resource), kind: resource.kind, ...item },
          resource,
          query.view,
        ),
      ),
      continue: page.metadata?.continue || null,
      remainingItemCount: page.metadata?.remainingItemCount ?? null,
    };
  }

  async get(
    clusterId: string,
    kindRef: string,
    name: string,
    query: ObjectQueryDto,
  ): Promise<Record<string, unknown>> {
    const { client, resource } = await this.resolve(clusterId, kindRef);
    assertVerb(resource, 'get');
    if (resource.namespaced && !query.namespace) {
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'namespace', errors: [`${resource.kind} is namespaced: namespace is required`] },
      ]);
    }
    const obj = await client.request<K8sObject>({
      path: this.path(resource, query.namespace, name),
    });
    return this.view(obj, resource, query.view);
  }

  private view(obj: K8sObject, resource: ServedKind, view: ObjectQueryDto['view']): K8sObject {
    const key = resourceKey(resource);
    if (view === 'summary' && hasSummary(key)) return summarize(key, obj);
    return objectView(obj, resource.kind, view === 'full');
  }

  private async served(client: KubeClient): Promise<ServedKind[]> {
    return preferredResources(await this.discovery.get(client));
  }

  /**
   * Looks a kind up in the cluster's cached discovery; a miss re-reads discovery once (throttled),
   * so a CRD created a moment ago is served without waiting for the cache to expire.
   */
  private async lookup<T>(client: KubeClient, find: (served: ServedKind[]) => T): Promise<T> {
    try {
      return find(await this.served(client));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'K8S_NOT_FOUND') throw error;
      return find(preferredResources(await this.discovery.refreshAfterMiss(client)));
    }
  }
}

function apiVersion(resource: ServedKind): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

function assertVerb(resource: ServedKind, verb: string): void {
  if (!resource.verbs.includes(verb))
    throw new AppError('METHOD_NOT_ALLOWED', `${resourceKey(resource)} does not support ${verb}`);
}
