import { Injectable } from '@nestjs/common';
import type { JwtClaims } from '../auth/oidc/jwt-verification';
import { AppError } from '../common/app-error';
import type { ClusterFacts } from '../common/access-grants';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import { readServiceAccountIssuer } from '../kubernetes/service-account-issuer';
import { KeyStore } from '../auth/oidc/key-store';
import { verifyJwt } from '../auth/oidc/jwt-verification';

const KEY_COOLDOWN_MS = 30_000;

interface ClusterIssuer {
  issuer?: string;
  keys: KeyStore;
}

export interface VerifiedServiceAccount {
  claims: JwtClaims;
  cluster: ClusterFacts;
}

/**
 * ServiceAccount tokens of registered clusters: each cluster's API server is an OIDC issuer,
 * read through the cluster's own client. Clusters often share an issuer name
 * (https://kubernetes.default.svc…), so a token is tried against each cluster naming its `iss`
 * until one's keys verify it; the token then belongs to that cluster.
 */
@Injectable()
export class ServiceAccountTokens {
  private readonly issuers = new Map<string, ClusterIssuer>();

  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly configProvider: ConfigProvider,
  ) {}

  get enabled(): boolean {
    return !!this.configProvider.config.auth.serviceAccountAudience;
  }

  async verify(token: string, iss: string): Promise<VerifiedServiceAccount> {
    const audience = this.configProvider.config.auth.serviceAccountAudience!;
    let refusal: unknown = new AppError(
      'TOKEN_ISSUER_UNKNOWN',
      'No registered cluster issued this token',
    );
    for (const cluster of await this.clusters.list()) {
      const entry = this.issuerOf(cluster.id);
      // Unknown issuer name yet: the first verify loads discovery (and keys) through the store.
      if (entry.issuer !== undefined && entry.issuer !== iss) continue;
      try {
        const claims = await verifyJwt(token, {
          issuer: iss,
          audience,
          algorithms: ['RS256', 'ES256'],
          clockSkewSeconds: this.configProvider.config.auth.clockSkewSeconds,
          keys: entry.keys,
        });
        if (entry.issuer !== iss) continue;
        return { claims, cluster: { id: cluster.id, name: cluster.name, labels: cluster.labels } };
      } catch (error) {
        // Time and audience refusals say the token is not good anywhere: no other cluster helps.
        if (error instanceof AppError && isFinal(error.code)) throw error;
        if (!(refusal instanceof AppError && refusal.code !== 'TOKEN_ISSUER_UNKNOWN'))
          refusal = error;
      }
    }
    throw refusal instanceof AppError
      ? refusal
      : new AppError('TOKEN_KEY_UNKNOWN', "The cluster's ServiceAccount keys are unavailable");
  }

  private issuerOf(clusterId: string): ClusterIssuer {
    let entry = this.issuers.get(clusterId);
    if (!entry) {
      const created: ClusterIssuer = {
        keys: new KeyStore(async () => {
          const read = await readServiceAccountIssuer(await this.clusters.client(clusterId));
          created.issuer = read.issuer;
          return read.jwks as never;
        }, KEY_COOLDOWN_MS),
      };
      entry = created;
      this.issuers.set(clusterId, entry);
    }
    return entry;
  }
}

function isFinal(code: string): boolean {
  return [
    'TOKEN_EXPIRED',
    'TOKEN_NOT_YET_VALID',
    'TOKEN_AUDIENCE_INVALID',
    'TOKEN_ALGORITHM_REFUSED',
  ].includes(code);
}
