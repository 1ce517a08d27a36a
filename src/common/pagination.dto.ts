import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The largest offset accepted: far beyond any table here, and within every database's integer. */
export const MAX_OFFSET = 2_147_483_647;

/**
 * Offset pagination for CloudPilot's own tables (audit, tokens); Kubernetes lists use continue
 * tokens. Every offset list extends this DTO, so both bounds hold everywhere: an offset past
 * what the database takes is a 400, never a 500.
 */
export class PageQueryDto {
  /** Page size, 1–500. */
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  /** Number of items to skip, 0–2147483647. */
  // Declared explicitly: the Swagger plugin neither reads a named constant in @Max nor sees the default as optional.
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
