import { Module } from '@nestjs/common';
import { KubeClientPool } from './kube-client.pool';

/** THE Kubernetes adapter: the only module whose code imports @kubernetes/client-node values. */
@Module({ providers: [KubeClientPool], exports: [KubeClientPool] })
export class KubernetesModule {}
