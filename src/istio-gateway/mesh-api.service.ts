import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ClusterObjects } from '../kubernetes/cluster-objects';
import type { ServedKind } from '../kubernetes/discovery';
import { KubeClient } from '../kubernetes/kube-client';
import { ObjectApi } from '../kubernetes/object-api';
import { MeshKind } from './mesh-kinds';

/**
 * The cluster object API for the mesh routes. Which version of a mesh kind a cluster serves
 * (networking.istio.io v1, else v1beta1, else v1alpha3) is the adapter's discovery lookup; a
 * missing Istio or Gateway API group is that group's NOT_INSTALLED error.
 */
@Injectable()
export class MeshApiService {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly objects: ClusterObjects,
  ) {}

  async client(clusterId: string): Promise<KubeClient> {
    return this.clusters.client(clusterId);
  }

  async api(clusterId: string): Promise<ObjectApi> {
    return this.objects.of(await this.clusters.client(clusterId));
  }

  /** The served version of a mesh kind; throws ISTIO_NOT_INSTALLED / GATEWAY_API_NOT_INSTALLED. */
  async requireKind(client: KubeClient, kind: MeshKind['descriptor']): Promise<ServedKind> {
    return this.objects.of(client).resolve(kind);
  }
}
