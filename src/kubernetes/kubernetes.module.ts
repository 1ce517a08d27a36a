import { Module } from '@nestjs/common';
import { ClusterDiscovery } from './cluster-discovery';
import { ClusterObjects } from './cluster-objects';
import { KubeClientPool } from './kube-client.pool';

/** THE Kubernetes adapter: the only module whose code imports @kubernetes/client-node values. */
@Module({
  providers: [KubeClientPool, ClusterDiscovery, ClusterObjects],
  exports: [KubeClientPool, ClusterDiscovery, ClusterObjects],
})
export class KubernetesModule {}
