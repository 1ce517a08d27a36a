import { ConfigProvider } from '../config/config.provider';
import { ConnectionPolicy } from '../kubernetes/cluster-connection';
import { ClusterEntity } from './cluster.entity';
import { ClusterResponseDto } from './cluster.dto';

export function toClusterResponse(entity: ClusterEntity): ClusterResponseDto {
  return {
    id: entity.id,
    name: entity.name,
    displayName: entity.displayName,
    description: entity.description,
    labels: JSON.parse(entity.labels) as Record<string, string>,
    server: entity.server,
    authType: entity.authType,
    isDefault: entity.isDefault,
    status: {
      state: entity.lastStatus as 'unknown' | 'connected' | 'error',
      kubernetesVersion: entity.kubernetesVersion,
      checkedAt: entity.checkedAt,
      errorCode: entity.lastErrorCode,
    },
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function connectionPolicy(configProvider: ConfigProvider): ConnectionPolicy {
  const { allowLoopback, allowPlainHttpLoopback, allowInsecureSkipTlsVerify } =
    configProvider.config.clusters;
  return { allowLoopback, allowPlainHttpLoopback, allowInsecureSkipTlsVerify };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Context names are free text; cluster names are DNS labels. */
export function nameFromContext(context: string): string {
  const name = context
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'cluster';
}
