import { ApiProperty } from '@nestjs/swagger';
import { IsIntegerIn } from '../common/integer.decorator';
import { ArrayMaxSize, ArrayMinSize, IsIn, Matches } from 'class-validator';
import { GrantDto } from './grant.dto';
import type { Role } from '../common/request-context';
import { ROLES } from '../common/roles';
import { IsNested } from '../common/dto-field.decorator';

export class CreateTokenDto {
  /**
   * Unique, human-readable name; recorded as the actor in the audit log.
   * @example ci-deployer
   */
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'name must be 1-128 characters of letters, digits, ".", "_" or "-"',
  })
  name: string;

  /**
   * viewer reads, operator also acts on clusters, admin also manages clusters and tokens.
   * @example admin
   */
  @IsIn(ROLES as Role[])
  role: Role;

  /**
   * Days until the token stops working; omitted means it never expires (null is not accepted).
   * @example 90
   */
  @IsIntegerIn(1, 3650, { optional: 'undefined-only' })
  expiresInDays?: number;

  /**
   * Where the token may act: several grants of role × clusters × namespaces, none beyond the
   * caller's own. Omitted: `role` on every cluster and namespace (needs the caller to have that).
   */
  @ApiProperty({
    required: false,
    type: [GrantDto],
    example: [{ role: 'viewer', clusters: ['*'], namespaces: ['team-a-*'] }],
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(32)
  @IsNested(() => GrantDto, { optional: true, each: true })
  grants?: GrantDto[];
}

export class TokenResponseDto {
  id: string;
  name: string;
  role: Role;
  grants: GrantDto[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export class CreatedTokenResponseDto extends TokenResponseDto {
  /** The bearer token. Shown only in this response: CloudPilot stores only its hash. */
  token: string;
}
