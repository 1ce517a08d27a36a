import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { Caller } from '../common/caller.decorator';
import type { Principal } from '../common/request-context';
import { WhoAmIResponseDto } from './grant.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class WhoAmIController {
  @Get('whoami')
  @ApiEndpoint({
    summary: "The caller's principal (token, OIDC subject or ServiceAccount) and its grants",
    response: WhoAmIResponseDto,
    access: 'global',
  })
  whoami(@Caller() caller: Principal): WhoAmIResponseDto {
    return {
      name: caller.name,
      kind: caller.kind,
      role: caller.role,
      grants: [...caller.scope.grants],
    };
  }
}
