import type { K8sObject } from '../kubernetes/k8s-object';
import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { ServedKind } from '../kubernetes/discovery';
import { apiVersionOf } from '../kubernetes/kind-lookup';
import type { ObjectApi } from '../kubernetes/object-api';
import { assertIstioBody } from './istio-body';
import {
  IstioDeleteQueryDto,
  IstioWriteResultDto,
  MeshListQueryDto,
  MeshObjectDto,
  MeshObjectListDto,
  MeshObjectQueryDto,
} from './istio-object.dto';
import { MeshApiService } from './mesh-api.service';
import { MeshKind } from './mesh-kinds';
import { MeshValidationService } from './mesh-validation.service';
import { applyMergePatch } from './merge-patch';

const DEFAULT_LIMIT = 100;

interface Target {
  api: ObjectApi;
  served: ServedKind;
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
    const { api, served } = await this.target(clusterId, kind);
    const { labelSelector, limit = DEFAULT_LIMIT, continue: token } = query;
    const where = { kind: served, namespace: query.namespace };
    const page = await api.list(where, { labelSelector, limit, continue: token });
    const { apiVersion, kind: kindName } = typeOf(served);
    const items = page.items.map((item) => slim({ apiVersion, kind: kindName, ...item }));
    return { apiVersion, kind: kindName, items, continue: page.continue };
  }

  async get(
    clusterId: string,
    kind: MeshKind,
    name: string,
    query: MeshObjectQueryDto,
    validate: boolean,
  ): Promise<MeshObjectDto> {
    const { api, served } = await this.target(clusterId, kind);
    const object = slim(await api.get({ kind: served, namespace: query.namespace, name }));
    const report =
      validate && query.validate !== false
        ? await this.validation.forObject(
            api.client,
            served.group,
            served.kind,
            query.namespace,
            name,
          )
        : null;
    return {
      ...typeOf(served),
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
    const { api, served } = await this.target(clusterId, kind);
    assertIstioBody(served.kind, body);
    const namespace = this.namespaceOf(body, queryNamespace);
    if (!body.metadata?.name) throw invalid('metadata.name', 'metadata.name is required');
    const object = { ...body, ...typeOf(served), metadata: { ...body.metadata, namespace } };
    const created = await api.create({ kind: served, namespace }, object, { dryRun });
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
    const { api, served } = await this.target(clusterId, kind);
    assertIstioBody(served.kind, body);
    this.assertIdentity(body, name, namespace);
    const object = { ...body, ...typeOf(served), metadata: { ...body.metadata, name, namespace } };
    const ref = { kind: served, namespace, name };
    return result(served, dryRun, await api.replace(ref, object, { dryRun }));
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
    const { api, served } = await this.target(clusterId, kind);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      throw invalid('body', 'a merge patch must be a JSON object');
    this.assertIdentity(patch, name, namespace);
    const ref = { kind: served, namespace, name };
    assertIstioBody(served.kind, applyMergePatch(await api.get(ref), patch));
    return result(served, dryRun, await api.mergePatch(ref, patch, { dryRun }));
  }

  async remove(
    clusterId: string,
    kind: MeshKind,
    name: string,
    query: IstioDeleteQueryDto,
    dryRun: boolean,
  ): Promise<IstioWriteResultDto> {
    const { api, served } = await this.target(clusterId, kind);
    const deleted = await api.delete(
      { kind: served, namespace: query.namespace, name },
      { dryRun, resourceVersion: query.resourceVersion },
    );
    return result(served, dryRun, deleted?.kind === 'Status' ? null : deleted);
  }

  /** The cluster's object API and the version of the kind it serves (NOT_INSTALLED when none). */
  private async target(clusterId: string, kind: MeshKind): Promise<Target> {
    const api = await this.api.api(clusterId);
    return { api, served: await api.resolve(kind.descriptor) };
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

/** The apiVersion and kind a served mesh kind's objects carry. */
function typeOf(served: ServedKind): { apiVersion: string; kind: string } {
  return { apiVersion: apiVersionOf(served), kind: served.kind };
}

function result(served: ServedKind, dryRun: boolean, obj: K8sObject | null): IstioWriteResultDto {
  return { ...typeOf(served), dryRun, object: obj ? slim(obj) : null };
}
