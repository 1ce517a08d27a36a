import { Module } from '@nestjs/common';
import { OidcIssuers } from './oidc-issuers';

@Module({ providers: [OidcIssuers], exports: [OidcIssuers] })
export class OidcModule {}
