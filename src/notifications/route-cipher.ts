import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CredentialCipher, SealedCredential } from '../cluster-registry/credential-cipher';
import { readConfiguredKey } from '../cluster-registry/credential-keyring';
import { ConfigProvider } from '../config/config.provider';
import { NotificationRoute } from './notification-route.entity';

/** A target's secret part: its URL (a Slack webhook URL is a credential) and its signing key. */
export interface TargetSecret {
  url: string;
  secret?: string;
}

/**
 * Seals target secrets with the key that seals cluster credentials (CLOUDPILOT_ENCRYPTION_KEY or
 * its key file), the route id as associated data so a sealed value moved to another route fails.
 * Built on first use, after the cluster registry has created the key file if it had to.
 */
@Injectable()
export class RouteCipher {
  private cipherValue: CredentialCipher | undefined;

  constructor(private readonly configProvider: ConfigProvider) {}

  private get cipher(): CredentialCipher {
    this.cipherValue ??= new CredentialCipher(
      readConfiguredKey(this.configProvider.config.security, false),
    );
    return this.cipherValue;
  }

  seal(routeId: string, secret: TargetSecret): { sealed: string; keyId: string } {
    return { sealed: JSON.stringify(this.cipher.seal(secret, routeId)), keyId: this.cipher.keyId };
  }

  open(routeId: string, sealed: string): TargetSecret {
    return this.cipher.open(JSON.parse(sealed) as SealedCredential, routeId) as TargetSecret;
  }
}

/**
 * Re-seals every route's target from one key to another inside the caller's transaction (the key
 * rotation command runs it with the cluster credentials', so all move or none): a route left under
 * the old key could neither be listed nor send after the rotation.
 */
export async function resealNotificationRoutes(
  tx: EntityManager,
  from: CredentialCipher,
  to: CredentialCipher,
): Promise<number> {
  const rows = await tx.find(NotificationRoute);
  for (const row of rows) {
    const plain = from.open(JSON.parse(row.sealed) as SealedCredential, row.id);
    const sealed = to.seal(plain, row.id);
    await tx.update(
      NotificationRoute,
      { id: row.id },
      { sealed: JSON.stringify(sealed), keyId: sealed.keyId },
    );
  }
  return rows.length;
}
