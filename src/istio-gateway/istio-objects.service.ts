import type { K8sObject } from '../kubernetes/k8s-object';
import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { KubeClient } from '../kubernetes/kube-client';
import { assertIstioBody } from './istio-body';
import {
  IstioDeleteQueryDto,
  IstioWriteResultDto,
  MeshListQueryDto,
  MeshObjectDto,
  MeshObjectListDto,
  MeshObjectQueryDto,
} from './istio-object.dto';
import { MeshApiService, ServedMeshKind } from './mesh-api.service';
import { MeshKind } from './mesh-kinds';
import { MeshValidationService } from './mesh-validation.service';
import { applyMergePatch } from './merge-patch';

const MERGE_PATCH = 'application/merge-patch+json';
const DEFAULT_LIMIT = 100;

interface Target {
  client: KubeClient;
  served: ServedMeshKind;
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field, errors: [message] },
  ]);
}

/** Istio's managedFields are noise for a reader and can be large. */
function slim(obj: K8sObject): K8sObject {
  if (!obj?.metadata) return obj;
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * Gateway, VirtualService and DestinationRule (and the read-only Gateway API kinds) through the
 * adapter, at the version the cluster serves. Writes are validated against the typed DTOs first,
 * keep unknown fields, honour dryRun and resourceVersion, and are audited by the middleware.
 */
@Injectable()
export class IstioObjectsService {
  constructor(
    private readonly api: MeshApiService,
    private readonly validation: MeshValidationService,
  ) {}

  async list(
    clusterId: string,
    kind: MeshKind,
    query: MeshListQueryDto,
  ): Promise<MeshObjectListDto> {
    const { client, served } = await this.target(clusterId, kind);
    const page = await client.request<{ items: K8sObject[]; metadata?: { continue?: string } }>({
      path: this.api.collection(served, query.namespace),
      query: {
        labelSelector: query.labelSelector,
        limit: query.limit ?? DEFAULT_LIMIT,
        continue: query.continue,
      },
    });
    const items = (page.items ?? []).map((item) =>
      slim({ apiVersion: served.apiVersion, kind: served.descriptor.kind, ...item }),
    );
    return {
      apiVersion: served.apiVersion,
      kind: served.descriptor.kind,
      items,
      continue: page.metadata?.continue || null,
    };
  }

  async get(
    clusterId: string,
    kind: MeshKind,
    name: string,
    query: MeshObjectQueryDto,
    validate: boolean,
  ): Promise<MeshObjectDto> {
    const { client, served } = await this.target(clusterId, kind);
    const object = slim(
      await client.request<K8sObject>({ path: this.api.object(served, name, query.namespace) }),
    );
    const report =
      validate && query.validate !== false
        ? await this.validation.forObject(
            client,
            served.descriptor.group,
            served.descriptor.kind,
            query.namespace,
            name,
          )
        : null;
    return {
      apiVersion: served.apiVersion,
      kind: served.descriptor.kind,
      object,
      validations: report?.findings ?? null,
      skippedChecks: report?.skipped ?? null,
    };
  }

  async create(
    clusterId: string,
    kind: MeshKind,
    body: K8sObject,
    queryNamespace: string | undefined,
    dryRun: boolean,
  ): Promise<IstioWriteResultDto> {
    const { client, served } = await this.target(clusterId, kind);
    assertIstioBody(served.descriptor.kind, body);
    const namespace = this.namespaceOf(body, queryNamespace);
    if (!body.metadata?.name) throw invalid('metadata.name', 'metadata.name is required');
    const object = {
      ...body,
      apiVersion: served.apiVersion,
      kind: served.descriptor.kind,
      metadata: { ...body.metadata, namespace },
    };
    const created = await client.request<K8sObject>({
      method: 'POST',
      path: this.api.collection(served, namespace),
      body: object,
      query: writeQuery(dryRun),
    });
    return result(served, dryRun, created);
  }

  /** PUT: the whole object. Without metadata.resourceVersion the current one is used (an unconditional replace). */
  async replace(
    clusterId: string,
    kind: MeshKind,
    name: string,
    body: K8sObject,
    namespace: string,
    dryRun: boolean,
  ): Promise<IstioWriteResultDto> {
    const { client, served } = await this.target(clusterId, kind);
    assertIstioBody(served.descriptor.kind, body);
    this.assertIdentity(body, name, namespace);
    const path = this.api.object(served, name, namespace);
    const resourceVersion =
      body.metadata?.resourceVersion ??
      (await client.request<K8sObject>({ path })).metadata?.resourceVersion;
    const object = {
      ...body,
      apiVersion: served.apiVersion,
      kind: served.descriptor.kind,
      metadata: { ...body.metadata, name, namespace, resourceVersion },
    };
    return result(
      served,
      dryRun,
      await client.request<K8sObject>({
        method: 'PUT',
        path,
        body: object,
        query: writeQuery(dryRun),
      }),
    );
  }

  /**
   * JSON merge patch (custom resources refuse strategic merge). The object the patch would produce
   * is validated first; metadata.resourceVersion in the patch makes it conditional.
   */
  async patch(
    clusterId: string,
    kind: MeshKind,
    name: string,
    patch: K8sObject,
    namespace: string,
    dryRun: boolean,
  ): Promise<IstioWriteResultDto> {
    const { client, served } = await this.target(clusterId, kind);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      throw invalid('body', 'a merge patch must be a JSON object');
    this.assertIdentity(patch, name, namespace);
    const path = this.api.object(served, name, namespace);
    const current = await client.request<K8sObject>({ path });
    assertIstioBody(served.descriptor.kind, applyMergePatch(current, patch));
    return result(
      served,
      dryRun,
      await client.request<K8sObject>({
        method: 'PATCH',
        path,
        body: patch,
        contentType: MERGE_PATCH,
        query: writeQuery(dryRun),
      }),
    );
  }

  async remove(
    clusterId: string,
    kind: MeshKind,
    name: string,
    query: IstioDeleteQueryDto,
    dryRun: boolean,
  ): Promise<IstioWriteResultDto> {
    const { client, served } = await this.target(clusterId, kind);
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(query.resourceVersion
        ? { preconditions: { resourceVersion: query.resourceVersion } }
        : {}),
      ...(dryRun ? { dryRun: ['All'] } : {}),
    };
    const deleted = await client.request<K8sObject>({
      method: 'DELETE',
      path: this.api.object(served, name, query.namespace),
      body,
      query: { dryRun: dryRun ? 'All' : undefined },
    });
    return result(served, dryRun, deleted?.kind === 'Status' ? null : deleted);
  }

  private async target(clusterId: string, kind: MeshKind): Promise<Target> {
    const client = await this.api.client(clusterId);
    return { client, served: await this.api.requireKind(client, kind.descriptor) };
  }

  private namespaceOf(body: K8sObject, queryNamespace: string | undefined): string {
    const fromBody = body.metadata?.namespace;
    if (fromBody && queryNamespace && fromBody !== queryNamespace)
      throw invalid(
        'metadata.namespace',
        `metadata.namespace ${fromBody} differs from the namespace query parameter ${queryNamespace}`,
      );
    const namespace = fromBody ?? queryNamespace;
    if (!namespace)
      throw invalid('namespace', 'namespace is required (query parameter or metadata.namespace)');
    return namespace;
  }

  /** A body may repeat the route's name and namespace, never contradict them. */
  private assertIdentity(body: K8sObject, name: string, namespace: string): void {
    if (body.metadata?.name !== undefined && body.metadata.name !== name)
      throw invalid('metadata.name', `metadata.name must be ${name} (the route's name)`);
    if (body.metadata?.namespace !== undefined && body.metadata.namespace !== namespace)
      throw invalid('metadata.namespace', `metadata.namespace must be ${namespace}`);
  }
}

function writeQuery(dryRun: boolean): Record<string, string | undefined> {
  return { dryRun: dryRun ? 'All' : undefined, fieldManager: 'cloudpilot' };
}

function result(
  served: ServedMeshKind,
  dryRun: boolean,
  obj: K8sObject | null,
): IstioWriteResultDto {
  return {
    apiVersion: served.apiVersion,
    kind: served.descriptor.kind,
    dryRun,
    object: obj ? slim(obj) : null,
  };
}
