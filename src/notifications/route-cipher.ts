import { Injectable } from '@nestjs/common';
import { CredentialCipher, SealedCredential } from '../cluster-registry/credential-cipher';
import { readConfiguredKey } from '../cluster-registry/credential-keyring';
import type { Resealer } from '../cluster-registry/key-rotation';
import { ResealSpec, resealRows } from '../cluster-registry/sealed-credential-row';
import { ConfigProvider } from '../config/config.provider';
import { NotificationRoute } from './notification-route.entity';

/** A target's secret part: its URL (a Slack webhook URL is a credential) and its signing key. */
export interface TargetSecret {
  url: string;
  secret?: string;
}

/** A route's target is sealed as one JSON column, bound to the route id. */
const ROUTE_SEALS: ResealSpec<NotificationRoute> = {
  entity: NotificationRoute,
  key: 'id',
  sealedOf: (row) => JSON.parse(row.sealed) as SealedCredential,
  columns: (sealed) => ({ sealed: JSON.stringify(sealed), keyId: sealed.keyId }),
};

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
export const resealNotificationRoutes: Resealer = (tx, from, to) =>
  resealRows(tx, ROUTE_SEALS, from, to);
