import { CONFIG_KEYS } from './config-keys';
import { AppConfig, AppMode, ConfigSource } from './config.types';

export interface EffectiveConfigEntry {
  key: string;
  value: unknown;
  source: ConfigSource;
  env?: string;
  flag?: string;
}

/**
 * The typed configuration as the rest of the application sees it. AppModule.forRoot(mode) binds
 * the variant for the chosen mode; services depend on this abstract class, never on process.env.
 */
export abstract class ConfigProvider {
  abstract readonly mode: AppMode;

  constructor(
    readonly config: AppConfig,
    private readonly sources: Record<string, ConfigSource>,
  ) {}

  /** Where CloudPilot gets its clusters from, for the start-up line and the system route. */
  abstract describeClusterSource(): string;

  /** Every key with its effective value and where it came from; secrets masked. */
  effective(): EffectiveConfigEntry[] {
    return CONFIG_KEYS.map((key) => {
      const value = key.path
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], this.config);
      return {
        key: key.path,
        value: key.secret && value !== undefined ? maskSecret(key.path, value) : value,
        source: this.sources[key.path],
        env: key.env,
        flag: key.flag ? `--${key.flag}` : undefined,
      };
    });
  }
}

/** Secrets are shown only as "set"; a database URL keeps its scheme and host but loses credentials. */
function maskSecret(path: string, value: unknown): string {
  if (path === 'database.url' && typeof value === 'string')
    return value.replace(/\/\/[^@/]*@/, '//***@');
  return '***';
}

export class ServerConfigProvider extends ConfigProvider {
  readonly mode = 'server' as const;

  describeClusterSource(): string {
    return 'cluster registry (database)';
  }
}

export class InstantConfigProvider extends ConfigProvider {
  readonly mode = 'instant' as const;

  describeClusterSource(): string {
    const k8s = this.config.kubernetes;
    if (k8s.inCluster) return 'in-cluster ServiceAccount';
    if (k8s.apiServer) return `K8S_API_SERVER ${k8s.apiServer}`;
    return `kubeconfig ${k8s.kubeconfig ?? '~/.kube/config'} (current context)`;
  }
}
