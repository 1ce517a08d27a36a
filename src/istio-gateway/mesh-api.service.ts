import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import { collectionPath, KindDescriptor, kindKey, objectPath } from '../kubernetes/kinds';
import { KubeClient } from '../kubernetes/kube-client';
import { ClusterDiscovery } from '../kubernetes/cluster-discovery';
import { servedVersionOf } from '../kubernetes/discovery';
import { GATEWAY_API_GROUP, ISTIO_GROUP } from './mesh-kinds';

/** A kind as this cluster serves it: where its objects live and the apiVersion to speak. */
export interface ServedMeshKind {
  descriptor: KindDescriptor;
  version: string;
  apiVersion: string;
}

/**
 * The cluster's client and which version of each mesh kind it serves (networking.istio.io v1,
 * else v1beta1, else v1alpha3: discovery decides), cached for a minute per cluster.
 */
@Injectable()
export class MeshApiService {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly discovery: ClusterDiscovery,
  ) {}

  async client(clusterId: string): Promise<KubeClient> {
    return this.clusters.client(clusterId);
  }

  /** The served version of a kind, or null when the cluster does not serve it. */
  async servedKind(client: KubeClient, descriptor: KindDescriptor): Promise<ServedMeshKind | null> {
    const match =
      servedVersionOf(await this.discovery.get(client), descriptor) ??
      servedVersionOf(await this.discovery.refreshAfterMiss(client), descriptor);
    return match
      ? { descriptor, version: match.version, apiVersion: `${descriptor.group}/${match.version}` }
      : null;
  }

  /** Like servedKind, but a missing Istio or Gateway API group is that group's NOT_INSTALLED error. */
  async requireKind(client: KubeClient, descriptor: KindDescriptor): Promise<ServedMeshKind> {
    const served = await this.servedKind(client, descriptor);
    if (served) return served;
    if (descriptor.group === ISTIO_GROUP)
      throw new AppError(
        'ISTIO_NOT_INSTALLED',
        `Cluster ${client.clusterId} does not serve ${ISTIO_GROUP}: Istio is not installed`,
        { cluster: client.clusterId },
      );
    if (descriptor.group === GATEWAY_API_GROUP)
      throw new AppError(
        'GATEWAY_API_NOT_INSTALLED',
        `Cluster ${client.clusterId} does not serve ${GATEWAY_API_GROUP}: the Gateway API CRDs are not installed`,
        { cluster: client.clusterId },
      );
    throw new AppError(
      'K8S_NOT_FOUND',
      `Cluster ${client.clusterId} does not serve ${kindKey(descriptor)}`,
      { cluster: client.clusterId },
    );
  }

  collection(kind: ServedMeshKind, namespace?: string): string {
    return collectionPath(kind.descriptor, kind.version, namespace);
  }

  object(kind: ServedMeshKind, name: string, namespace: string): string {
    return objectPath(kind.descriptor, kind.version, name, namespace);
  }
}
