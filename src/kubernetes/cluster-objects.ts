import { Injectable } from '@nestjs/common';
import { ClusterDiscovery } from './cluster-discovery';
import { KubeClient } from './kube-client';
import { ObjectApi } from './object-api';

/**
 * The cluster object API's entry point: `of(client)` is that cluster's ObjectApi, which looks
 * kinds up in the cluster's cached discovery (shared by every caller of the cluster).
 */
@Injectable()
export class ClusterObjects {
  constructor(private readonly discovery: ClusterDiscovery) {}

  of(client: KubeClient): ObjectApi {
    return new ObjectApi(client, this.discovery);
  }
}
