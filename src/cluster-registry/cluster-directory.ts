import type { KubeClient } from '../kubernetes/kube-client';
import {
  ClusterResponseDto,
  ClusterTestResponseDto,
  CreateClusterDto,
  ImportKubeconfigDto,
  UpdateClusterDto,
} from './cluster.dto';

/**
 * The clusters CloudPilot serves, as every feature sees them. Server mode backs it with the
 * database registry, instant mode with its one configured cluster; AppModule picks which.
 */
export abstract class ClusterDirectory {
  abstract list(): Promise<ClusterResponseDto[]>;
  abstract get(idOrName: string): Promise<ClusterResponseDto>;
  /** The cluster's client, for the adapter's callers; throws CLUSTER_NOT_FOUND. */
  abstract client(idOrName: string): Promise<KubeClient>;
  abstract test(idOrName: string): Promise<ClusterTestResponseDto>;
  abstract create(dto: CreateClusterDto, skipTest: boolean): Promise<ClusterResponseDto>;
  abstract importKubeconfig(
    dto: ImportKubeconfigDto,
    skipTest: boolean,
  ): Promise<ClusterResponseDto[]>;
  abstract update(idOrName: string, dto: UpdateClusterDto): Promise<ClusterResponseDto>;
  abstract remove(idOrName: string): Promise<void>;
  abstract setDefault(idOrName: string): Promise<ClusterResponseDto>;
}
