import { IsIntegerIn } from '../common/integer.decorator';
import { IsQueryFlag } from '../common/query-flag.decorator';
import { IsK8sContainerName, IsK8sNamespace } from '../common/k8s-validators';

export class LogQueryDto {
  @IsK8sNamespace()
  namespace: string;

  /** Container name; required when the pod has more than one. */
  @IsK8sContainerName({ optional: true })
  container?: string;

  /** Only the last N lines. */
  @IsIntegerIn(1, 100000, { optional: true, query: true })
  tailLines?: number;

  /** Only lines from the last N seconds. */
  @IsIntegerIn(1, 31536000, { optional: true, query: true })
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
