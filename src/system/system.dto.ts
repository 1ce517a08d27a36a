import { ApiProperty } from '@nestjs/swagger';

export class ConfigEntryDto {
  /** YAML path of the key, e.g. server.port. */
  key: string;
  /** Effective value; secrets are masked; absent when the key has no value. */
  @ApiProperty({
    required: false,
    nullable: true,
    description: 'Effective value; secrets are masked; absent when the key has no value.',
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: {} },
      { type: 'object' },
    ],
  })
  value?: unknown;
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
