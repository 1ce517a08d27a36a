import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class LogQueryDto {
  @Matches(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'namespace must be a DNS-1123 label' })
  namespace: string;

  /** Container name; required when the pod has more than one. */
  @IsOptional()
  @Matches(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'container must be a DNS-1123 label' })
  container?: string;

  /** Only the last N lines. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  tailLines?: number;

  /** Only lines from the last N seconds. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(31536000)
  sinceSeconds?: number;

  /** The log of the previous (terminated) instance of the container. */
  @IsOptional()
  @IsIn(['true', 'false'])
  previous?: 'true' | 'false';

  /** Prefix each line with its RFC 3339 timestamp. */
  @IsOptional()
  @IsIn(['true', 'false'])
  timestamps?: 'true' | 'false';
}

export class PodLogDto {
  pod: string;
  namespace: string;
  container: string;
  previous: boolean;
  text: string;
  /** True when the log was longer than the cap (1 MiB) and was cut. */
  truncated: boolean;
}
