import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppError, refusedInInstantMode } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { probeCluster } from '../kubernetes/cluster-probe';
import { KubeClient } from '../kubernetes/kube-client';
import { KubeClientPool } from '../kubernetes/kube-client.pool';
import { ClusterDirectory } from './cluster-directory';
import { ClusterResponseDto, ClusterStatusDto, ClusterTestResponseDto } from './cluster.dto';
import { InstantSource, resolveInstantSource } from './instant-connection';

const CLUSTERS_FROM_CONFIG =
  'Instant mode serves exactly one cluster from its configuration; run in server mode to manage clusters';

/** Instant mode: exactly one cluster from the start-up configuration; the registry is read-only. */
@Injectable()
export class InstantClusterDirectory
  extends ClusterDirectory
  implements OnModuleInit, OnApplicationBootstrap
{
  private readonly logger = new Logger(InstantClusterDirectory.name);
  private source: InstantSource;
  private status: ClusterStatusDto = {
    state: 'unknown',
    kubernetesVersion: null,
    checkedAt: null,
    errorCode: null,
  };
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly pool: KubeClientPool,
    private readonly configProvider: ConfigProvider,
  ) {
    super();
  }

  onModuleInit(): void {
    this.source = resolveInstantSource(this.configProvider.config);
    this.logger.log(
      { source: this.source.description, cluster: this.name },
      'instant mode cluster source',
    );
  }

  /** A first probe in the background, so the cluster's status is known without delaying start-up. */
  onApplicationBootstrap(): void {
    this.test(this.name).then(
      (probe) =>
        this.logger.log(
          { kubernetesVersion: probe.kubernetesVersion },
          'instant mode cluster connected',
        ),
      (error: unknown) =>
        this.logger.warn(
          { code: error instanceof AppError ? error.code : 'INTERNAL_ERROR' },
          'instant mode cluster not reachable yet',
        ),
    );
  }

  private get name(): string {
    return this.configProvider.config.kubernetes.instantClusterName;
  }

  async list(): Promise<ClusterResponseDto[]> {
    return [this.describe()];
  }

  async get(idOrName: string): Promise<ClusterResponseDto> {
    this.assertKnown(idOrName);
    return this.describe();
  }

  async client(idOrName: string): Promise<KubeClient> {
    this.assertKnown(idOrName);
    return this.pool.get(this.name, this.source.connection, 'instant', this.source.policy);
  }

  async test(idOrName: string): Promise<ClusterTestResponseDto> {
    const client = await this.client(idOrName);
    const checkedAt = new Date().toISOString();
    try {
      const probe = await probeCluster(client);
      this.status = {
        state: 'connected',
        kubernetesVersion: probe.kubernetesVersion,
        checkedAt,
        errorCode: null,
      };
      return { reachable: true, ...probe, checkedAt };
    } catch (error) {
      this.status = {
        ...this.status,
        state: 'error',
        checkedAt,
        errorCode: error instanceof AppError ? error.code : 'INTERNAL_ERROR',
      };
      throw error;
    }
  }

  create(): Promise<never> {
    return refusedInInstantMode(CLUSTERS_FROM_CONFIG);
  }
  importKubeconfig(): Promise<never> {
    return refusedInInstantMode(CLUSTERS_FROM_CONFIG);
  }
  update(): Promise<never> {
    return refusedInInstantMode(CLUSTERS_FROM_CONFIG);
  }
  remove(): Promise<never> {
    return refusedInInstantMode(CLUSTERS_FROM_CONFIG);
  }
  setDefault(): Promise<never> {
    return refusedInInstantMode(CLUSTERS_FROM_CONFIG);
  }

  private assertKnown(idOrName: string): void {
    if (idOrName !== this.name)
      throw new AppError(
        'CLUSTER_NOT_FOUND',
        `Instant mode has one cluster, "${this.name}"; no cluster "${idOrName}"`,
      );
  }

  private describe(): ClusterResponseDto {
    const { connection } = this.source;
    return {
      id: this.name,
      name: this.name,
      displayName: this.name,
      description: this.source.description,
      labels: {},
      server: connection.server,
      authType: connection.auth.type,
      isDefault: true,
      status: this.status,
      createdAt: this.startedAt,
      updatedAt: this.startedAt,
    };
  }
}
