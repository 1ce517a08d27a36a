import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { collectionPath, objectPath } from '../kubernetes/kinds';
import { KubeClient } from '../kubernetes/kube-client';
import { discoverResources, ServedResource } from '../kubernetes/resource-discovery';
import { resolveKind, resourceKey } from './kind-resolver';
import { K8sObject, objectView } from './object-views';
import { ListQueryDto, ObjectQueryDto, ResourceListDto, ServedResourceDto } from './resources.dto';
import { hasSummary, summarize } from './summaries';

const DISCOVERY_TTL_MS = 5 * 60_000;
const DEFAULT_LIMIT = 100;

/** Browsing any kind a cluster serves, through the adapter; Secret values never leave this service. */
@Injectable()
export class ResourcesService {
  private readonly discovery = new Map<string, { at: number; resources: ServedResource[] }>();

  constructor(private readonly clusters: ClusterDirectory) {}

  /** The cluster's client and the served resource a `:kind` reference means. */
  async resolve(
    clusterId: string,
    kindRef: string,
  ): Promise<{ client: KubeClient; resource: ServedResource }> {
    const client = await this.clusters.client(clusterId);
    return { client, resource: resolveKind(await this.served(client), kindRef) };
  }

  async client(clusterId: string): Promise<KubeClient> {
    return this.clusters.client(clusterId);
  }

  /** The served resource of a manifest's group and kind (its version may differ from the preferred one). */
  async resolveGroupKind(clusterId: string, group: string, kind: string): Promise<ServedResource> {
    const served = await this.served(await this.clusters.client(clusterId));
    const match = served.find((r) => r.group === group && r.kind === kind);
    if (!match)
      throw new AppError(
        'K8S_NOT_FOUND',
        `This cluster serves no ${kind} in group "${group || 'core'}"`,
        { group, kind },
      );
    return match;
  }

  /** Path of a resource's collection, or of one object when `name` is given. */
  path(resource: ServedResource, namespace: string | undefined, name?: string): string {
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

  private view(obj: K8sObject, resource: ServedResource, view: ObjectQueryDto['view']): K8sObject {
    const key = resourceKey(resource);
    if (view === 'summary' && hasSummary(key)) return summarize(key, obj);
    return objectView(obj, resource.kind, view === 'full');
  }

  private async served(client: KubeClient): Promise<ServedResource[]> {
    const cached = this.discovery.get(client.clusterId);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.resources;
    const resources = await discoverResources(client);
    this.discovery.set(client.clusterId, { at: Date.now(), resources });
    return resources;
  }
}

function apiVersion(resource: ServedResource): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

function assertVerb(resource: ServedResource, verb: string): void {
  if (!resource.verbs.includes(verb))
    throw new AppError('METHOD_NOT_ALLOWED', `${resourceKey(resource)} does not support ${verb}`);
}
