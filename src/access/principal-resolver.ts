import { Injectable } from '@nestjs/common';
import { AccessScope, Grant } from '../common/access-grants';
import { AppError } from '../common/app-error';
import { adminEverywhere, Principal, PrincipalKind } from '../common/request-context';
import { TokenService } from '../auth/token.service';
import { ConfigProvider } from '../config/config.provider';
import { looksLikeJwt, unverifiedClaims } from '../auth/oidc/jwt-verification';
import { OidcIssuers } from '../auth/oidc/oidc-issuers';
import { grantsFor, identityOf, VerifiedIdentity } from './claim-grants';
import { ServiceAccountTokens } from './service-account-tokens';

const DEV_PRINCIPAL = adminEverywhere('dev-no-auth', 'dev');

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/**
 * Who a request comes from, for the REST API and MCP alike: a CloudPilot API token, a JWT of a
 * configured OIDC issuer, or a ServiceAccount token of a registered cluster. Every refusal is a
 * 401 whose code says why; nothing is accepted by default.
 */
@Injectable()
export class PrincipalResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly oidc: OidcIssuers,
    private readonly serviceAccounts: ServiceAccountTokens,
    private readonly configProvider: ConfigProvider,
  ) {}

  async resolve(authorization: string | undefined): Promise<Principal> {
    if (this.configProvider.config.auth.mode === 'none') return DEV_PRINCIPAL;
    const bearer = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!bearer)
      throw new AppError(
        'UNAUTHENTICATED',
        'Missing bearer token: send Authorization: Bearer <token>',
      );
    if (looksLikeJwt(bearer)) return this.fromJwt(bearer);
    const principal = await this.tokens.authenticate(bearer);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The bearer token is invalid or expired');
    return principal;
  }

  private async fromJwt(token: string): Promise<Principal> {
    const claims = unverifiedClaims(token);
    const iss = typeof claims?.iss === 'string' ? claims.iss : '';
    if (this.oidc.has(iss)) {
      const verified = await this.oidc.verify(token, iss);
      return this.principal('oidc', identityOf(verified, iss));
    }
    const sub = typeof claims?.sub === 'string' ? claims.sub : '';
    if (this.serviceAccounts.enabled && sub.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      const { claims: verified, cluster } = await this.serviceAccounts.verify(token, iss);
      return this.principal('serviceaccount', identityOf(verified, iss, cluster.id), cluster.name);
    }
    throw new AppError('TOKEN_ISSUER_UNKNOWN', 'The JWT comes from no configured issuer');
  }

  private principal(kind: PrincipalKind, who: VerifiedIdentity, clusterName?: string): Principal {
    const grants: Grant[] = grantsFor(this.configProvider.config.auth.grantMappings, who);
    if (!grants.length)
      throw new AppError('TOKEN_NO_GRANTS', 'The token is valid but no grant mapping matches it');
    const scope = new AccessScope(grants);
    // Stable and unique per person or bot: sessions and proposals are owned by this name.
    const name =
      kind === 'serviceaccount'
        ? `${who.subject}@${clusterName}`
        : `oidc:${new URL(who.issuer).host}:${who.subject}`;
    return { name: name.slice(0, 120), role: scope.maxRole, tokenId: null, kind, scope };
  }
}
