import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../common/app-error';
import { Principal, requestContext, Role } from '../common/request-context';
import { ConfigProvider } from '../config/config.provider';
import { PUBLIC_ROUTE, REQUIRED_ROLE, roleSatisfies } from '../common/roles';
import { TokenService } from './token.service';

const DEV_PRINCIPAL: Principal = { name: 'dev-no-auth', role: 'admin', tokenId: null };

/** Deny by default: every route needs a valid bearer token unless it is explicitly @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly configProvider: ConfigProvider,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const principal = await this.principalOf(context.switchToHttp().getRequest<Request>());
    const ctx = requestContext.current();
    if (ctx) ctx.principal = principal;
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer';
    if (!roleSatisfies(principal.role, required)) {
      throw new AppError(
        'FORBIDDEN',
        `This action needs the ${required} role; the token has ${principal.role}`,
      );
    }
    return true;
  }

  private async principalOf(request: Request): Promise<Principal> {
    if (this.configProvider.config.auth.mode === 'none') return DEV_PRINCIPAL;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match)
      throw new AppError(
        'UNAUTHENTICATED',
        'Missing bearer token: send Authorization: Bearer <token>',
      );
    const principal = await this.tokens.authenticate(match[1]);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The bearer token is invalid or expired');
    return principal;
  }
}
