import { Injectable } from '@nestjs/common';
import { CredentialCipher, SealedCredential } from '../cluster-registry/credential-cipher';
import { readConfiguredKey } from '../cluster-registry/credential-keyring';
import { ConfigProvider } from '../config/config.provider';

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
