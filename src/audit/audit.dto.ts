import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../common/pagination.dto';

export class AuditQueryDto extends PageQueryDto {
  /** Only entries by this actor (token name). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,128}$/)
  actor?: string;

  @IsOptional()
  @IsIn(['POST', 'PUT', 'PATCH', 'DELETE'])
  method?: string;

  /** Only entries whose result code is this, e.g. OK or FORBIDDEN. */
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/)
  resultCode?: string;

  /** Only entries at or after this instant (ISO-8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

export class AuditEntryResponseDto {
  id: string;
  at: string;
  actor: string;
  role: string | null;
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
