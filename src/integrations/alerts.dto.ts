import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';
import { IsQueryFlag } from '../common/query-flag.decorator';
import { IsNested, IsLabelMap } from '../common/dto-field.decorator';

const ALERT_STATUSES = ['firing', 'resolved'];

/** One alert of Alertmanager's webhook payload (version 4). */
export class AlertmanagerAlertDto {
  @ApiProperty({ enum: ALERT_STATUSES })
  @IsIn(ALERT_STATUSES)
  status: string;

  @IsLabelMap()
  labels: Record<string, string>;

  @IsLabelMap()
  annotations: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601()
  startsAt: string;

  /** Alertmanager sends 0001-01-01T00:00:00Z for a firing alert without an end. */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  endsAt?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  generatorURL?: string;

  @Matches(/^[0-9a-f]{1,64}$/)
  fingerprint: string;
}

/** Alertmanager's webhook_config payload, version 4 (prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export class AlertmanagerWebhookDto {
  @ApiProperty({ enum: ['4'] })
  @IsIn(['4'])
  version: string;

  @IsString()
  @MaxLength(4096)
  groupKey: string;

  @IsOptional()
  @IsInt()
  truncatedAlerts?: number;

  @ApiProperty({ enum: ALERT_STATUSES })
  @IsIn(ALERT_STATUSES)
  status: string;

  @IsString()
  @MaxLength(256)
  receiver: string;

  @IsLabelMap()
  groupLabels: Record<string, string>;

  @IsLabelMap()
  commonLabels: Record<string, string>;

  @IsLabelMap()
  commonAnnotations: Record<string, string>;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  externalURL?: string;

  /** Newer Alertmanagers (0.3x): the labels of the route that matched. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  routeLabels?: Record<string, string>;

  /** Newer Alertmanagers (0.3x): why this notification was sent (e.g. a new alert, a repeat). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  notification_reason?: string;

  @ArrayMaxSize(1000)
  @IsNested(() => AlertmanagerAlertDto, { each: true })
  alerts: AlertmanagerAlertDto[];
}

export class ReceivedAlertsResponseDto {
  /** Alerts stored or updated. */
  stored: number;
  /** Of them, those linked to at least one current finding. */
  linked: number;
}

export class CreateReceiverDto {
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'name must be 1-128 characters of letters, digits, ".", "_" or "-"',
  })
  name: string;
}

export class ReceiverResponseDto {
  id: string;
  name: string;
  createdAt: string;
}

export class CreatedReceiverResponseDto extends ReceiverResponseDto {
  /** The receiver's bearer token, valid on POST /integrations/alertmanager only; shown only here. */
  token: string;
}

export class AlertQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_:.-]{1,256}$/)
  alertname?: string;

  /** Only alerts of this cluster (its id). */
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  clusterId?: string;

  /** Only alerts linked to at least one finding (true) or to none (false). */
  @IsQueryFlag()
  linked?: boolean;
}

export class AlertObjectDto {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export class AlertLinkDto {
  clusterId: string;
  findingId: string;
  code: string;
  severity: string;
  object: AlertObjectDto;
}

export class AlertResponseDto {
  id: string;
  receiverId: string;
  fingerprint: string;
  @ApiProperty({ enum: ALERT_STATUSES })
  status: string;
  alertname: string;
  clusterId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  labels: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  generatorUrl: string | null;
  links: AlertLinkDto[];
  receivedAt: string;
}

export class AlertPageResponseDto {
  items: AlertResponseDto[];
  total: number;
  limit: number;
  offset: number;
}
