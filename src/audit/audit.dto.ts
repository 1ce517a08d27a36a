import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';

const AUDITED_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export class AuditQueryDto extends PageQueryDto {
  /** Only entries by this actor (token name). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,128}$/)
  actor?: string;

  // Stated in the document too, so a client (or the contract fuzzer) sends what the API accepts.
  @ApiProperty({ required: false, enum: AUDITED_METHODS })
  @IsOptional()
  @IsIn(AUDITED_METHODS)
  method?: string;

  /** Only entries whose result code is this, e.g. OK or FORBIDDEN. */
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/)
  resultCode?: string;

  /** Only entries at or after this instant (ISO-8601). */
  @ApiProperty({ required: false, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

export class AuditEntryResponseDto {
  id: string;
  at: string;
  actor: string;
  role: string | null;
  /** How the actor signed in: token, oidc, serviceaccount or dev. */
  principalKind: string | null;
  /** The actor's grants when it acted, as JSON. */
  grants: string | null;
  method: string;
  route: string;
  path: string;
  target: string | null;
  status: number;
  resultCode: string;
  requestId: string;
}

export class AuditPageResponseDto {
  items: AuditEntryResponseDto[];
  total: number;
  limit: number;
  offset: number;
}
