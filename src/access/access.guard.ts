import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AccessScope } from '../common/access-grants';
import { checkClusterAccess, View } from '../common/access-check';
import { ACCESS_RULE, AccessRule } from '../common/access-rule';
import { AppError } from '../common/app-error';
import { perHandler } from '../common/handler-memo';
import { requestContext, Role } from '../common/request-context';
import { PUBLIC_ROUTE, REQUIRED_ROLE, ROLES, roleSatisfies } from '../common/roles';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { fleetView } from './fleet-view';
import { PrincipalResolver } from './principal-resolver';
import { unauthorized } from './protected-resource';

/**
 * Deny by default: every route needs a principal unless it is @Public(), the principal's best role
 * must reach the route's, and the route's access rule (declared once, in ApiEndpoint) decides
 * what of the clusters and namespaces it may reach. Outside its grants is a 404, never a 403:
 * a caller learns nothing about what it may not see.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalResolver,
    private readonly clusters: ClusterDirectory,
  ) {}

  /** What the route declares: public, the role it needs, its access rule. */
  private readonly declared = perHandler((context) => {
    const targets = [context.getHandler(), context.getClass()];
    return {
      isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)),
      required: this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer',
      rule: this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets),
    };
  });

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, required, rule } = this.declared(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.principals
      .resolve(request.headers.authorization)
      .catch((error: unknown) => Promise.reject(unauthorized(error, request)));
    const ctx = requestContext.current();
    if (ctx) ctx.principal = principal;
    if (!roleSatisfies(principal.role, required))
      throw new AppError(
        'FORBIDDEN',
        `This action needs the ${required} role; the token has ${principal.role}`,
      );
    if (!rule) throw new AppError('FORBIDDEN', 'This route declares no access rule');
    if (principal.scope.unrestricted || rule === 'global') return true;
    if (rule === 'installation') {
      if (principal.scope.installationRank() < ROLES.indexOf(required))
        throw new AppError('FORBIDDEN', `This needs the ${required} role on every cluster`);
      return true;
    }
    const visible = await this.scoped(rule, principal.scope, required, request);
    if (ctx && visible) ctx.visible = visible;
    return true;
  }

  /** Checks the route's target against the grants; returns how to trim what it answers. */
  private async scoped(
    rule: Exclude<AccessRule, 'global' | 'installation'>,
    scope: AccessScope,
    required: Role,
    request: Request,
  ): Promise<View | undefined> {
    if (rule === 'fleet') {
      const all = await this.clusters.list();
      const facts = all.map((c) => [c.id, { id: c.id, name: c.name, labels: c.labels }] as const);
      return fleetView(scope, new Map(facts));
    }
    const ref = request.params?.clusterId;
    if (typeof ref !== 'string') throw new AppError('FORBIDDEN', 'This route names no cluster');
    const found = await this.clusters.get(ref);
    const cluster = { id: found.id, name: found.name, labels: found.labels };
    return checkClusterAccess(rule, scope, cluster, namespaceOf(request), required);
  }
}
/** The namespace a request targets: its `namespace` query parameter, else its body's. */
function namespaceOf(request: Request): string | undefined {
  const query = request.query?.namespace;
  if (typeof query === 'string' && query) return query;
  const body = request.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return undefined;
  const metadata = body.metadata as Record<string, unknown> | undefined;
  const fromBody = metadata?.namespace ?? body.namespace;
  return typeof fromBody === 'string' && fromBody ? fromBody : undefined;
}
