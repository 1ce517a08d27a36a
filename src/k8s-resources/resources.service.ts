import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ClusterObjects } from '../kubernetes/cluster-objects';
import type { ServedKind } from '../kubernetes/discovery';
import { apiVersionOf } from '../kubernetes/kind-lookup';
import { kindKey } from '../kubernetes/kinds';
import { ObjectApi } from '../kubernetes/object-api';
import { K8sObject, objectView } from './object-views';
import { ListQueryDto, ObjectQueryDto, ResourceListDto, ServedResourceDto } from './resources.dto';
import { hasSummary, summarize } from './summaries';

const DEFAULT_LIMIT = 100;

/** Browsing any kind a cluster serves, through the adapter; Secret values never leave this service. */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly objects: ClusterObjects,
  ) {}

  /** The cluster's object API, for this module's services. */
  async api(clusterId: string): Promise<ObjectApi> {
    return this.objects.of(await this.clusters.client(clusterId));
  }

  /** The served resource a `:kind` reference means in this cluster. */
  async resolve(clusterId: string, kindRef: string): Promise<ServedKind> {
    return (await this.api(clusterId)).resolve(kindRef);
  }

  async kinds(clusterId: string): Promise<ServedResourceDto[]> {
    const served = await (await this.api(clusterId)).kinds();
    return served.map((r) => ({ key: kindKey(r), ...r }));
  }

  async list(clusterId: string, kindRef: string, query: ListQueryDto): Promise<ResourceListDto> {
    const api = await this.api(clusterId);
    const kind = assertVerb(await api.resolve(kindRef), 'list');
    const page = await api.list(
      { kind, namespace: query.namespace },
      {
        labelSelector: query.labelSelector,
        fieldSelector: query.fieldSelector,
        limit: query.limit ?? DEFAULT_LIMIT,
        continue: query.continue,
      },
    );
    const apiVersion = apiVersionOf(kind);
    return {
      apiVersion,
      kind: kind.kind,
      items: page.items.map((item) =>
        this.view({ apiVersion, kind: kind.kind, ...item }, kind, query.view),
      ),
      continue: page.continue,
      remainingItemCount: page.remainingItemCount,
    };
  }

  async get(
    clusterId: string,
    kindRef: string,
    name: string,
    query: ObjectQueryDto,
  ): Promise<Record<string, unknown>> {
    const api = await this.api(clusterId);
    const kind = assertVerb(await api.resolve(kindRef), 'get');
    const obj = await api.get({ kind, namespace: query.namespace, name });
    return this.view(obj, kind, query.view);
  }

  private view(obj: K8sObject, resource: ServedKind, view: ObjectQueryDto['view']): K8sObject {
    const key = kindKey(resource);
    if (view === 'summary' && hasSummary(key)) return summarize(key, obj);
    return objectView(obj, resource.kind, view === 'full');
  }
}

function assertVerb(resource: ServedKind, verb: string): ServedKind {
  if (!resource.verbs.includes(verb))
    throw new AppError('METHOD_NOT_ALLOWED', `${kindKey(resource)} does not support ${verb}`);
  return resource;
}
