import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { OidcModule } from '../auth/oidc/oidc.module';
import { AccessGuard } from './access.guard';
import { PrincipalResolver } from './principal-resolver';
import { ProtectedResourceController } from './protected-resource.controller';
import { ServiceAccountTokens } from './service-account-tokens';

/**
 * Access: who the caller is (API token, OIDC JWT, ServiceAccount token) and what its grants let it
 * reach, enforced for every route by one guard. Global: MCP and the assistant resolve and scope
 * callers through it too.
 */
@Global()
@Module({
  imports: [AuthModule, OidcModule],
  controllers: [ProtectedResourceController],
  providers: [
    PrincipalResolver,
    ServiceAccountTokens,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [PrincipalResolver],
})
export class AccessModule {}
