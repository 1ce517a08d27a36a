import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KubernetesModule } from '../kubernetes/kubernetes.module';
import { ClusterDirectory } from './cluster-directory';
import { ClusterEvents } from './cluster-events';
import { ClusterController } from './cluster.controller';
import { ClusterEntity } from './cluster.entity';
import { CredentialKeyring } from './credential-keyring';
import { InstantClusterDirectory } from './instant-cluster-directory';
import { RegistryClusterDirectory } from './registry-cluster-directory';

/** Same routes in both modes; AppModule picks the directory behind them. Global: every feature needs clusters. */
@Module({})
export class ClusterRegistryModule {
  static forServer(): DynamicModule {
    return {
      module: ClusterRegistryModule,
      global: true,
      imports: [TypeOrmModule.forFeature([ClusterEntity]), KubernetesModule],
      controllers: [ClusterController],
      providers: [
        CredentialKeyring,
        ClusterEvents,
        { provide: ClusterDirectory, useClass: RegistryClusterDirectory },
      ],
      // The keyring also seals what features store per cluster (telemetry sources).
      exports: [ClusterDirectory, ClusterEvents, CredentialKeyring],
    };
  }

  static forInstant(): DynamicModule {
    return {
      module: ClusterRegistryModule,
      global: true,
      imports: [KubernetesModule],
      controllers: [ClusterController],
      providers: [ClusterEvents, { provide: ClusterDirectory, useClass: InstantClusterDirectory }],
      exports: [ClusterDirectory, ClusterEvents],
    };
  }
}
