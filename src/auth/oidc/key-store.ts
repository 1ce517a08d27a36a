import { createLocalJWKSet, errors, JSONWebKeySet, JWTVerifyGetKey } from 'jose';

/**
 * An issuer's signing keys, fetched by `load` and kept. An unknown `kid` refetches (at most once
 * per cooldown), so a rotation is picked up without a restart; when the issuer cannot be reached
 * the keys fetched last keep verifying, and an unknown `kid` is refused rather than trusted.
 * jose's createRemoteJWKSet does the same over plain fetch but drops its keys when a refresh
 * fails after their max age; ServiceAccount issuers are also read through the cluster's own API
 * server client, not fetch. So one store serves both.
 */
export class KeyStore {
  private keys: JWTVerifyGetKey | undefined;
  private fetchedAt = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<JSONWebKeySet>,
    private readonly cooldownMs: number,
    private readonly maxAgeMs = 600_000,
  ) {}

  /** The key resolver jose's jwtVerify takes. */
  readonly resolve: JWTVerifyGetKey = async (header, token) => {
    if (!this.keys || Date.now() - this.fetchedAt > this.maxAgeMs) await this.refresh(!this.keys);
    try {
      return await this.keys!(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (Date.now() - this.fetchedAt < this.cooldownMs) throw error;
      await this.refresh(false);
      return this.keys!(header, token);
    }
  };

  /** Fetches the keys; a failure with keys in hand keeps them (the issuer may be down a while). */
  private async refresh(required: boolean): Promise<void> {
    this.pending ??= this.load()
      .then((jwks) => {
        this.keys = createLocalJWKSet(jwks);
        this.fetchedAt = Date.now();
      })
      .finally(() => (this.pending = undefined));
    try {
      await this.pending;
    } catch (error) {
      if (required || !this.keys) throw error;
      // Try again after the cooldown rather than on every request while the issuer is down.
      this.fetchedAt = Date.now();
    }
  }
}
