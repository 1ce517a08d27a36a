import { IsQueryFlag } from '../common/query-flag.decorator';
import { IsK8sContainerName, IsK8sNamespace } from '../common/k8s-validators';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class LogQueryDto {
  @IsK8sNamespace()
  namespace: string;

  /** Container name; required when the pod has more than one. */
  @IsK8sContainerName({ optional: true })
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
  @IsQueryFlag()
  previous?: boolean;

  /** Prefix each line with its RFC 3339 timestamp. */
  @IsQueryFlag()
  timestamps?: boolean;
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
