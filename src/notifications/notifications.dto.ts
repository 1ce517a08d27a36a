import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsObject,
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SEVERITIES } from '../cluster-state/finding';
import { MatchesDocumented } from '../common/documented-pattern.decorator';
import { IsIntegerIn } from '../common/integer.decorator';
import type { InputRule } from '../common/input-vocabulary';
import { PageQueryDto } from '../common/pagination.dto';
import { IsEachIn } from '../common/dto-field.decorator';
import { EVENT_TYPES } from './notification-event';
import { TARGET_TYPES } from './target-payloads';

/** `:id` of a delivery: the outbox's row number. */
export const DELIVERY_ID_RULE: InputRule = {
  pattern: /^[1-9][0-9]{0,8}$/,
  maxLength: 9,
  expected: 'a delivery id (a positive integer)',
};

const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'];
const SOURCES = ['kubernetes', 'istio', 'forecast', 'telemetry', 'assistant'];
const WORD = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,252}$/;

/** Each list is "any of"; an absent or empty list matches everything. */
export class RouteMatchDto {
  @IsEachIn(EVENT_TYPES, { optional: true })
  @ArrayMaxSize(16)
  events?: string[];

  /** Cluster ids or names. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @MatchesDocumented(WORD, { optional: true, each: true })
  clusters?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { each: true })
  namespaces?: string[];

  @IsEachIn(SEVERITIES, { optional: true })
  @ArrayMaxSize(3)
  severities?: string[];

  /** Finding codes, e.g. POD_CRASH_LOOP. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { each: true })
  codes?: string[];

  @IsEachIn(SOURCES, { optional: true })
  @ArrayMaxSize(4)
  sources?: string[];
}

export class RouteTargetDto {
  @ApiProperty({ enum: TARGET_TYPES })
  @IsIn(TARGET_TYPES)
  type: string;

  /**
   * https URL (plain http and loopback only where the operator allows loopback targets); for
   * Alertmanager its base URL. Stored encrypted, never returned.
   * @example https://hooks.example.com/cloudpilot
   */
  @ApiProperty({ format: 'uri', minLength: 1 })
  @IsString()
  @MaxLength(2048)
  url: string;

  /**
   * Webhook and CloudEvents: the HMAC-SHA256 signing key (16–256 characters). Stored encrypted, never returned.
   * @example change-me-to-a-long-random-key
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret?: string;

  @ApiProperty({ required: false, enum: ['structured', 'binary'], default: 'structured' })
  @IsOptional()
  @IsIn(['structured', 'binary'])
  mode?: string;
}

export class CreateRouteDto {
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'name must be 1-128 characters of letters, digits, ".", "_" or "-"',
  })
  name: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RouteTargetDto)
  target: RouteTargetDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => RouteMatchDto)
  match?: RouteMatchDto;

  /** Seconds an event waits so those that follow it go in the same request (group_wait). */
  @IsIntegerIn(0, 3600, { optional: 'undefined-only' })
  groupWaitSeconds?: number;

  /** Seconds after which a still-open finding is told again (0: never); Alertmanager needs it below its resolve_timeout. */
  @IsIntegerIn(0, 604800, { optional: 'undefined-only' })
  repeatIntervalSeconds?: number;

  /** Requests per minute to this target at most (0: no limit). */
  @IsIntegerIn(0, 6000, { optional: 'undefined-only' })
  ratePerMinute?: number;
}

export class RouteTargetResponseDto {
  @ApiProperty({ enum: TARGET_TYPES })
  type: string;
  mode: string;
  /** The target URL's host only: the URL itself may be a credential. */
  host: string;
  /** Whether requests are signed; the key itself is never returned. */
  signed: boolean;
}

export class RouteResponseDto {
  id: string;
  name: string;
  target: RouteTargetResponseDto;
  match: RouteMatchDto;
  groupWaitSeconds: number;
  repeatIntervalSeconds: number;
  ratePerMinute: number;
  createdAt: string;
}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  routeId?: string;
}

export class DeliveryResponseDto {
  id: number;
  routeId: string;
  /** The event's idempotency key. */
  eventKey: string;
  eventType: string;
  subject: string;
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export class DeliveryPageResponseDto {
  items: DeliveryResponseDto[];
  total: number;
  limit: number;
  offset: number;
}
