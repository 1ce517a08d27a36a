import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FINDING_CODE_RULE, ISO_TIME_RULE, ruleProblem } from '../common/input-vocabulary';
import { FollowsRule, IsK8sKindName, IsK8sNamespace } from '../common/k8s-validators';
import { LABEL_VALUE, labelKeyProblem, labelValueProblem } from '../common/selector-grammar';
import { IsIntegerIn } from '../common/integer.decorator';
import { IsIn } from 'class-validator';
import { namePatternProblem, SilenceMatchers } from './silence-matching';
import { IsOptionalNotNull } from '../common/dto-field.decorator';

/** The longest a silence may last: a year, so nothing is silenced and forgotten for good. */
export const MAX_SILENCE_MS = 366 * 24 * 3600 * 1000;

function labelsProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'labels must be an object of label keys to values';
  const entries = Object.entries(value);
  if (!entries.length || entries.length > 20) return 'labels must hold 1 to 20 labels';
  for (const [key, v] of entries) {
    if (typeof v !== 'string') return `labels.${key} must be a string`;
    const problem = labelKeyProblem(key) ?? labelValueProblem(v);
    if (problem) return `labels: ${problem}`;
  }
  return null;
}

/** The problem with an expiry at `now`: ISO-8601 with a zone, in the future, within a year. */
export function expiryProblem(value: unknown, now = Date.now()): string | null {
  const format = ruleProblem(ISO_TIME_RULE, 'expiresAt', value);
  if (format !== null) return format;
  const at = Date.parse(value as string);
  if (!Number.isFinite(at)) return 'expiresAt is not a valid time';
  if (at <= now) return 'expiresAt must be in the future';
  if (at - now > MAX_SILENCE_MS) return 'expiresAt must be within a year';
  return null;
}

/** When a validated new silence ends, in ms: its expiresAt, or durationSeconds from `now`. */
export function expiryOf(
  dto: Pick<CreateSilenceDto, 'expiresAt' | 'durationSeconds'>,
  now: number,
): number {
  return dto.durationSeconds !== undefined
    ? now + dto.durationSeconds * 1000
    : Date.parse(dto.expiresAt!);
}

/** A property checked by `problem` (null: valid), its message being the problem. */
const Checked = (name: string, problem: (value: unknown) => string | null) =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => problem(value) === null,
      defaultMessage: (args) => problem(args!.value) ?? '',
    },
  });

export const MATCHER_KEYS: Array<keyof SilenceMatchers> = [
  'code',
  'namespace',
  'kind',
  'name',
  'labels',
];

/**
 * The body of a new silence, documented with what validation holds beyond the properties: exactly
 * one of expiresAt and durationSeconds.
 */
export const CREATE_SILENCE_BODY = () => ({
  example: {
    matchers: { code: 'HPA_AT_MAX_REPLICAS', namespace: 'shop' },
    durationSeconds: 86400,
    comment: 'capacity raise planned, OPS-1234',
  },
  allOf: [
    { $ref: getSchemaPath(CreateSilenceDto) },
    {
      oneOf: [
        { required: ['expiresAt'], not: { required: ['durationSeconds'] } },
        { required: ['durationSeconds'], not: { required: ['expiresAt'] } },
      ],
    },
  ],
});

/** Which findings a silence covers; every matcher given must hold, and at least one is needed. */
export class SilenceMatchersDto implements SilenceMatchers {
  /** A finding code, e.g. POD_CRASH_LOOP. */
  @FollowsRule(FINDING_CODE_RULE, { optional: true })
  code?: string;

  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** The kind of the object the finding names (case-insensitive), e.g. Deployment. */
  @IsK8sKindName({ optional: true })
  kind?: string;

  /** A regular expression over the whole object name (anchored), e.g. `batch-.*`. */
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @Checked('namePattern', (v) => namePatternProblem(String(v)))
  name?: string;

  /** Labels the object the finding names must carry (equality), e.g. {"team": "payments"}. */
  @IsOptionalNotNull()
  @Checked('labelMap', labelsProblem)
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE.source },
    minProperties: 1,
    maxProperties: 20,
  })
  labels?: Record<string, string>;
}

export class CreateSilenceDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SilenceMatchersDto)
  @ApiProperty({ type: () => SilenceMatchersDto, minProperties: 1 })
  @Checked('someMatcher', (v) =>
    MATCHER_KEYS.some((k) => (v as SilenceMatchers | undefined)?.[k] != null)
      ? null
      : `matchers must hold at least one of ${MATCHER_KEYS.join(', ')}`,
  )
  matchers: SilenceMatchersDto;

  /** When the silence ends: ISO-8601 with a zone, in the future and within a year (or durationSeconds). */
  @ValidateIf((dto: CreateSilenceDto) => dto.durationSeconds === undefined)
  @Checked('futureTime', (v) => expiryProblem(v))
  @ApiProperty({ type: String, format: 'date-time', required: false })
  expiresAt?: string;

  /** How long the silence lasts from now, in seconds, up to a year (366 days); instead of expiresAt. */
  @IsIntegerIn(1, MAX_SILENCE_MS / 1000, { optional: true })
  @ValidateBy({
    name: 'oneExpiry',
    validator: {
      validate: (_v: unknown, args) => (args?.object as CreateSilenceDto).expiresAt === undefined,
      defaultMessage: () => 'give expiresAt or durationSeconds, not both',
    },
  })
  durationSeconds?: number;

  /** Why the finding is accepted (who decided, the ticket). */
  @IsString()
  @Length(1, 1024)
  comment: string;
}

/** Which silences to list. */
export class SilenceQueryDto {
  /** `active` (default: the silences in force), `expired` or `all`. */
  @IsOptional()
  @IsIn(['active', 'expired', 'all'])
  state?: 'active' | 'expired' | 'all';

  /** Page size, 1–500. */
  @IsIntegerIn(1, 500, { optional: true, query: true, default: 100 })
  limit: number = 100;

  @IsIntegerIn(0, undefined, { optional: true, query: true, default: 0 })
  offset: number = 0;
}

export class SilenceDto {
  id: string;
  clusterId: string;
  matchers: SilenceMatchersDto;
  comment: string;
  /** The principal (token name) that created it. */
  author: string;
  createdAt: string;
  expiresAt: string;
  /** True while it is in force (expiresAt still ahead). */
  active: boolean;
}

export class SilencePageDto {
  items: SilenceDto[];
  total: number;
  limit: number;
  offset: number;
}
