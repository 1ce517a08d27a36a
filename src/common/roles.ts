import { SetMetadata } from '@nestjs/common';

/** viewer reads, operator also acts on clusters, admin also manages clusters and tokens. */
export type Role = 'viewer' | 'operator' | 'admin';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

/** viewer < operator < admin: a role satisfies every requirement at or below its rank. */
export function roleSatisfies(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

export const REQUIRED_ROLE = 'cloudpilot:required-role';
export const PUBLIC_ROUTE = 'cloudpilot:public-route';

/** The least role a route needs. Routes without it need viewer: authenticated is the floor. */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/** The only way out of authentication; used by health, metrics and docs alone. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
