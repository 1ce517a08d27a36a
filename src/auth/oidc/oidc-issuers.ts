import { Injectable } from '@nestjs/common';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import { AppError } from '../../common/app-error';
import { ConfigProvider } from '../../config/config.provider';
import type { OidcIssuerConfig } from '../../config/config.types';
import { KeyStore } from './key-store';
import { verifyJwt } from './jwt-verification';

const FETCH_TIMEOUT_MS = 5_000;

/** The issuer's discovery document says where its keys are; it must name itself exactly. */
async function discoverJwksUri(issuer: string): Promise<string> {
  const doc = await getJson<{ issuer?: unknown; jwks_uri?: unknown }>(
    `${issuer}/.well-known/openid-configuration`,
  );
  if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string')
    throw new Error(`the discovery document of ${issuer} does not name it, or has no jwks_uri`);
  return doc.jwks_uri;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    headers: { accept: 'application/json' },
    redirect: 'error',
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** One configured issuer: discovery, then its JWKS, both fetched lazily and kept (KeyStore). */
class OidcIssuer {
  private jwksUri: string | undefined;
  readonly keys: KeyStore;

  constructor(readonly config: OidcIssuerConfig) {
    this.keys = new KeyStore(
      () => this.loadKeys(),
      config.jwksCooldownSeconds * 1000,
      config.jwksMaxAgeSeconds * 1000,
    );
  }

  private async loadKeys(): Promise<JSONWebKeySet> {
    this.jwksUri ??= await discoverJwksUri(this.config.issuer);
    return getJson<JSONWebKeySet>(this.jwksUri);
  }
}

/**
 * The OIDC issuers of `auth.oidcIssuers`: the one adapter that talks to them (discovery and JWKS
 * over HTTPS) and verifies their JWTs with jose.
 */
@Injectable()
export class OidcIssuers {
  private readonly issuers: ReadonlyMap<string, OidcIssuer>;

  constructor(private readonly configProvider: ConfigProvider) {
    const configured = configProvider.config.auth.oidcIssuers ?? [];
    this.issuers = new Map(configured.map((c) => [c.issuer, new OidcIssuer(c)]));
  }

  /** The issuers' identifiers, for the protected-resource metadata. */
  list(): string[] {
    return [...this.issuers.keys()];
  }

  has(issuer: string): boolean {
    return this.issuers.has(issuer);
  }

  /** Verifies a JWT of a configured issuer; throws a TOKEN_* AppError (401) on any refusal. */
  async verify(token: string, issuer: string): Promise<JWTPayload> {
    const found = this.issuers.get(issuer);
    if (!found)
      throw new AppError('TOKEN_ISSUER_UNKNOWN', 'The JWT comes from no configured issuer');
    return verifyJwt(token, {
      issuer,
      audience: found.config.audience,
      algorithms: found.config.algorithms,
      clockSkewSeconds: this.configProvider.config.auth.clockSkewSeconds,
      keys: found.keys,
    });
  }
}
