export class ConfigEntryDto {
  /** YAML path of the key, e.g. server.port. */
  key: string;
  /** Effective value; secrets are masked. */
  value: unknown;
  /** Where the value came from. */
  source: 'default' | 'file' | 'env' | 'cli';
  env?: string;
  flag?: string;
}

export class SystemConfigResponseDto {
  mode: 'server' | 'instant';
  clusterSource: string;
  entries: ConfigEntryDto[];
}

export class SystemInfoResponseDto {
  version: string;
  mode: 'server' | 'instant';
  nodeVersion: string;
  startedAt: string;
}
