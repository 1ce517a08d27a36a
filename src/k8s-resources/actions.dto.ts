import { IsIntegerIn } from '../common/integer.decorator';
import { IsQueryFlag } from '../common/query-flag.decorator';
import { IsK8sNamespace } from '../common/k8s-validators';
import { IsOptional, Matches, MaxLength } from 'class-validator';

export class ActionQueryDto {
  /** Namespace of the object. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** true: the API server validates and answers as if it were done, and stores nothing. */
  @IsQueryFlag()
  dryRun?: boolean;
}

export class ScaleDto {
  @IsIntegerIn(0, 10000, { query: true })
  replicas: number;

  /** Optimistic concurrency: refused with 409 K8S_CONFLICT if the object changed since this version. */
  @IsOptional()
  @MaxLength(64)
  @Matches(/^[0-9]+$/)
  resourceVersion?: string;
}

export class ActionResultDto {
  kind: string;
  name: string;
  namespace: string | null;
  action: string;
  dryRun: boolean;
  /** What the API server answered, slimmed (e.g. the Scale object, the patched object). */
  result: Record<string, unknown> | null;
}
