import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional } from 'class-validator';
import { MatchesDocumented } from '../common/documented-pattern.decorator';
import type { Role } from '../common/request-context';
import { ROLES } from '../common/roles';
import { IsOptionalNotNull } from '../common/dto-field.decorator';

/** A cluster id (UUID), a cluster name, or "*". */
const CLUSTER_ENTRY = /^(\*|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|[0-9a-f-]{36})$/;
/** A namespace name, a pattern with `*`, or "*". */
const NAMESPACE_ENTRY = /^[a-z0-9*]([a-z0-9*-]{0,61}[a-z0-9*])?$/;

/** One grant: a role on some clusters and some namespaces in them (both default to all). */
export class GrantDto {
  @IsIn(ROLES as Role[])
  role: Role;

  /** Cluster ids or names, or "*" (the default) for every cluster. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @MatchesDocumented(CLUSTER_ENTRY, {
    optional: true,
    each: true,
    message: 'each cluster must be an id, a name or "*"',
  })
  clusters?: string[];

  /** Labels the cluster must carry, all of them (a matchLabels selector). */
  @IsOptionalNotNull()
  @IsObject()
  clusterLabels?: Record<string, string>;

  /** Namespace names or patterns such as `team-a-*`, or "*" (the default) for the whole cluster. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @MatchesDocumented(NAMESPACE_ENTRY, {
    optional: true,
    each: true,
    message: 'each namespace must be a name, a pattern with * or "*"',
  })
  namespaces?: string[];
}

/** The principal behind the request and everything it may reach. */
export class WhoAmIResponseDto {
  /** Token name, OIDC subject or `system:serviceaccount:<ns>:<name>`. */
  name: string;
  /** How it signed in: token, oidc, serviceaccount or dev (auth mode none). */
  kind: string;
  /** Its best role anywhere. */
  role: Role;
  grants: GrantDto[];
}
