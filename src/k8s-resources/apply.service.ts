import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { KubeClient } from '../kubernetes/kube-client';
import type { ServedKind } from '../kubernetes/discovery';
import { AppliedObjectDto, ApplyResultDto } from './apply.dto';
import { ManifestDoc, parseManifest } from './manifest-parser';
import { diffObjects } from './object-diff';
import { K8sObject, objectView } from './object-views';
import { ResourcesService } from './resources.service';

interface Planned {
  doc: ManifestDoc;
  resource: ServedKind;
  namespace: string | undefined;
  path: string;
}

/**
 * Server-side apply (field manager `cloudpilot`) of one or several documents. Every document is
 * first applied as a dry run, so a manifest with one bad object changes nothing at all.
 */
@Injectable()
export class ApplyService {
  constructor(private readonly resources: ResourcesService) {}

  async apply(
    clusterId: string,
    manifest: string,
    defaultNamespace: string | undefined,
    dryRun: boolean,
    force: boolean,
  ): Promise<ApplyResultDto> {
    const docs = parseManifest(manifest);
    const client = await this.resources.client(clusterId);
    const plan = await Promise.all(docs.map((doc) => this.plan(clusterId, doc, defaultNamespace)));
    const wouldBe: K8sObject[] = [];
    for (const p of plan) wouldBe.push(await this.send(client, p, true, force));
    if (dryRun)
      return {
        dryRun,
        items: await Promise.all(plan.map((p, i) => this.preview(client, p, wouldBe[i]))),
      };
    const items: AppliedObjectDto[] = [];
    for (const p of plan)
      items.push(this.row(p, await this.send(client, p, false, force), 'applied'));
    return { dryRun, items };
  }

  private async plan(
    clusterId: string,
    doc: ManifestDoc,
    defaultNamespace: string | undefined,
  ): Promise<Planned> {
    const resource = await this.resources
      .resolveGroupKind(clusterId, doc.group, doc.kind)
      .catch((error: unknown) => {
        throw error instanceof AppError
          ? new AppError(error.code, `manifest[${doc.index}]: ${error.message}`, error.details)
          : error;
      });
    const namespace = resource.namespaced ? (doc.namespace ?? defaultNamespace) : undefined;
    if (resource.namespaced && !namespace) {
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        {
          field: `manifest[${doc.index}].metadata.namespace`,
          errors: [`${doc.kind} is namespaced: give metadata.namespace or ?namespace=`],
        },
      ]);
    }
    const body = {
      ...doc.body,
      metadata: { ...doc.body.metadata, ...(namespace ? { namespace } : {}) },
    };
    const path = this.resources.path({ ...resource, version: doc.version }, namespace, doc.name);
    return { doc: { ...doc, body }, resource, namespace, path };
  }

  private send(
    client: KubeClient,
    p: Planned,
    dryRun: boolean,
    force: boolean,
  ): Promise<K8sObject> {
    return client.request<K8sObject>({
      method: 'PATCH',
      path: p.path,
      body: p.doc.body,
      contentType: 'application/apply-patch+yaml',
      query: {
        fieldManager: 'cloudpilot',
        force: force || undefined,
        dryRun: dryRun ? 'All' : undefined,
      },
    });
  }

  private async preview(
    client: KubeClient,
    p: Planned,
    wouldBe: K8sObject,
  ): Promise<AppliedObjectDto> {
    const current = await client.request<K8sObject>({ path: p.path }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'K8S_NOT_FOUND') return undefined;
      throw error;
    });
    // Diff the views a client may see, so a Secret's diff names keys, never values.
    const diff = diffObjects(
      current && objectView(current, p.resource.kind, false),
      objectView(wouldBe, p.resource.kind, false),
    );
    const outcome = !current ? 'created' : diff.length ? 'configured' : 'unchanged';
    return { ...this.row(p, wouldBe, outcome), diff };
  }

  private row(p: Planned, obj: K8sObject, outcome: AppliedObjectDto['outcome']): AppliedObjectDto {
    return {
      kind: p.resource.kind,
      name: p.doc.name,
      namespace: p.namespace ?? null,
      outcome,
      object: objectView(obj, p.resource.kind, false),
    };
  }
}
