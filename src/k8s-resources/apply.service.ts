import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { ServedKind } from '../kubernetes/discovery';
import type { ObjectApi } from '../kubernetes/object-api';
import type { ObjectOptions, ObjectRef } from '../kubernetes/object-ref';
import { AppliedObjectDto, ApplyResultDto } from './apply.dto';
import { ManifestDoc, parseManifest } from './manifest-parser';
import { diffObjects } from './object-diff';
import { K8sObject, objectView } from './object-views';
import { ResourcesService } from './resources.service';

interface Planned {
  doc: ManifestDoc;
  ref: ObjectRef & { kind: ServedKind };
}

/**
 * Server-side apply (field manager `cloudpilot`) of one or several documents. Every document is
 * first applied as a dry run, so a manifest with one bad object changes nothing at all.
 */
@Injectable()
export class ApplyService {
  constructor(private readonly resources: ResourcesService) {}

  /** `defaultNamespace` is for documents without metadata.namespace; `options.force` takes over fields. */
  async apply(
    clusterId: string,
    manifest: string,
    defaultNamespace: string | undefined,
    options: Pick<ObjectOptions, 'dryRun' | 'force'>,
  ): Promise<ApplyResultDto> {
    const docs = parseManifest(manifest);
    const api = await this.resources.api(clusterId);
    const plan = await Promise.all(docs.map((doc) => this.plan(api, doc, defaultNamespace)));
    const wouldBe: K8sObject[] = [];
    for (const p of plan)
      wouldBe.push(await api.apply(p.ref, p.doc.body, { ...options, dryRun: true }));
    const dryRun = options.dryRun === true;
    if (dryRun)
      return {
        dryRun,
        items: await Promise.all(plan.map((p, i) => this.preview(api, p, wouldBe[i]))),
      };
    const items: AppliedObjectDto[] = [];
    for (const p of plan)
      items.push(this.row(p, await api.apply(p.ref, p.doc.body, options), 'applied'));
    return { dryRun, items };
  }

  private async plan(
    api: ObjectApi,
    doc: ManifestDoc,
    defaultNamespace: string | undefined,
  ): Promise<Planned> {
    const kind = await api
      .resolve({ group: doc.group, kind: doc.kind, version: doc.version })
      .catch((error: unknown) => {
        throw error instanceof AppError
          ? new AppError(error.code, `manifest[${doc.index}]: ${error.message}`, error.details)
          : error;
      });
    const namespace = kind.namespaced ? (doc.namespace ?? defaultNamespace) : undefined;
    if (kind.namespaced && !namespace) {
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
    return { doc: { ...doc, body }, ref: { kind, namespace, name: doc.name } };
  }

  private async preview(api: ObjectApi, p: Planned, wouldBe: K8sObject): Promise<AppliedObjectDto> {
    const current = await api.get(p.ref).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'K8S_NOT_FOUND') return undefined;
      throw error;
    });
    // Diff the views a client may see, so a Secret's diff names keys, never values.
    const diff = diffObjects(
      current && objectView(current, p.ref.kind.kind, false),
      objectView(wouldBe, p.ref.kind.kind, false),
    );
    const outcome = !current ? 'created' : diff.length ? 'configured' : 'unchanged';
    return { ...this.row(p, wouldBe, outcome), diff };
  }

  private row(p: Planned, obj: K8sObject, outcome: AppliedObjectDto['outcome']): AppliedObjectDto {
    return {
      kind: p.ref.kind.kind,
      name: p.doc.name,
      namespace: p.ref.namespace ?? null,
      outcome,
      object: objectView(obj, p.ref.kind.kind, false),
    };
  }
}
