import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { findKind, KindDescriptor } from '../kubernetes/kinds';
import { KubeClient } from '../kubernetes/kube-client';
import { listAll } from '../kubernetes/list-all';
import { MeshApiService } from './mesh-api.service';
import { Unavailable } from './validations/run-validations';
import { MeshSnapshot, MetaOnly, Obj, SnapshotPart } from './validations/snapshot';

const PARTS: Record<SnapshotPart, { key: string; metadataOnly?: boolean }> = {
  gateways: { key: 'gateways.networking.istio.io' },
  virtualServices: { key: 'virtualservices.networking.istio.io' },
  destinationRules: { key: 'destinationrules.networking.istio.io' },
  serviceEntries: { key: 'serviceentries.networking.istio.io' },
  services: { key: 'services' },
  pods: { key: 'pods', metadataOnly: true },
  secrets: { key: 'secrets', metadataOnly: true },
  k8sGateways: { key: 'gateways.gateway.networking.k8s.io' },
  httpRoutes: { key: 'httproutes.gateway.networking.k8s.io' },
};

export interface FetchedSnapshot {
  snapshot: MeshSnapshot;
  unavailable: Unavailable;
}

/**
 * Reads, on request, the cluster-wide objects the validations need, through the adapter. A kind
 * the credential may not list, or whose CRDs are absent, becomes null with the reason, so its
 * checks are skipped instead of reporting everything it would have shown as missing.
 */
@Injectable()
export class MeshSnapshotService {
  constructor(private readonly api: MeshApiService) {}

  async fetch(client: KubeClient): Promise<FetchedSnapshot> {
    const unavailable: Unavailable = {};
    const entries = await Promise.all(
      (Object.keys(PARTS) as SnapshotPart[]).map(async (part) => {
        try {
          return [part, await this.read(client, part)] as const;
        } catch (error) {
          if (
            !(error instanceof AppError) ||
            !['K8S_FORBIDDEN', 'ISTIO_NOT_INSTALLED', 'GATEWAY_API_NOT_INSTALLED'].includes(
              error.code,
            )
          )
            throw error;
          unavailable[part] =
            error.code === 'K8S_FORBIDDEN'
              ? "forbidden for this cluster's credential"
              : 'CRDs not installed';
          return [part, null] as const;
        }
      }),
    );
    return { snapshot: Object.fromEntries(entries) as unknown as MeshSnapshot, unavailable };
  }

  private async read(client: KubeClient, part: SnapshotPart): Promise<Obj[] | MetaOnly[]> {
    const { key, metadataOnly } = PARTS[part];
    const served = await this.api.requireKind(client, findKind(key) as KindDescriptor);
    // Pods and Secrets as PartialObjectMetadata: Secret data is never downloaded.
    const items = (await listAll(client, this.api.collection(served), { metadataOnly })) as Obj[];
    return metadataOnly ? items.map(toMetaOnly) : items;
  }
}

function toMetaOnly(item: Obj): MetaOnly {
  return {
    namespace: item.metadata.namespace ?? '',
    name: item.metadata.name,
    labels: item.metadata.labels ?? {},
  };
}
