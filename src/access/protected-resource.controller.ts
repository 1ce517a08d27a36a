import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../common/roles';
import { OidcIssuers } from '../auth/oidc/oidc-issuers';
import { ProtectedResourceMetadataDto } from './protected-resource.dto';
import { resourceOf } from './protected-resource';

/** OAuth 2.0 Protected Resource Metadata (RFC 9728), as the MCP authorization spec discovers it. */
@ApiTags('auth')
@Public()
@Controller()
export class ProtectedResourceController {
  constructor(private readonly issuers: OidcIssuers) {}

  @Get('.well-known/oauth-protected-resource')
  @ApiOkResponse({
    description: 'Where to sign in: the configured OIDC issuers (plain JSON, RFC 9728)',
    type: ProtectedResourceMetadataDto,
  })
  metadata(@Req() request: Request): ProtectedResourceMetadataDto {
    return {
      resource: resourceOf(request),
      authorization_servers: this.issuers.list(),
      bearer_methods_supported: ['header'],
      resource_name: 'CloudPilot',
    };
  }
}
