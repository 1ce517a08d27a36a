import { ApiProperty } from '@nestjs/swagger';
import { SINCE_RULE } from '../common/input-vocabulary';
import {
  FollowsRule,
  IsK8sKindName,
  IsK8sNamespace,
  IsK8sObjectName,
} from '../common/k8s-validators';
import { IsIn, IsOptional } from 'class-validator';

export class EventQueryDto {
  /** Only events of this namespace; all namespaces when omitted. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  @IsOptional()
  @IsIn(['Normal', 'Warning'])
  type?: 'Normal' | 'Warning';

  /** Kind of the object the events are about, e.g. Pod. */
  @IsK8sKindName({ optional: true })
  involvedKind?: string;

  @IsK8sObjectName({ optional: true })
  involvedName?: string;

  /** Only events last seen at or after this: ISO-8601, or a window like 30s, 15m, 2h, 7d. */
  @FollowsRule(SINCE_RULE, { optional: true })
  since?: string;
}

export class ObjectEventQueryDto {
  /** Namespace of a namespaced object. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** `changes`: also the object's recorded changes (docs/changes.md), merged in `timeline`. */
  @IsOptional()
  @IsIn(['changes'])
  include?: 'changes';
}

export class EventObjectRefDto {
  kind: string;
  name: string;
  namespace: string | null;
}

export class EventRowDto {
  type: string;
  reason: string;
  message: string;
  object: EventObjectRefDto;
  /** Occurrences folded into this row. */
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  source: string | null;
}

export class ObjectChangeRowDto {
  id: string;
  at: string;
  kind: string;
  namespace: string;
  name: string;
  category: string;
  manager: string | null;
  summary: string;
}

/** One entry of an object's timeline: an event row or a recorded change, at its time. */
export class TimelineEntryDto {
  at: string | null;
  @ApiProperty({ enum: ['event', 'change'] })
  type: 'event' | 'change';
  event?: EventRowDto;
  change?: ObjectChangeRowDto;
}

export class EventListDto {
  items: EventRowDto[];
  /** True when the cluster had more events than CloudPilot reads for one answer (5,000). */
  truncated: boolean;
  /** With `include=changes`: events and the object's recorded changes, newest first. */
  timeline?: TimelineEntryDto[];
}
