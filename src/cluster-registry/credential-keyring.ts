import { Injectable, Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { ConfigProvider } from '../config/config.provider';
import type { AppConfig } from '../config/config.types';
import { StartupError } from '../common/startup-error';
import { CredentialCipher, parseEncryptionKey } from './credential-cipher';

/** Holds the one credential cipher of this process, checked against what is stored before use. */
@Injectable()
export class CredentialKeyring {
  private readonly logger = new Logger(CredentialKeyring.name);
  private cipherValue: CredentialCipher | undefined;

  constructor(private readonly configProvider: ConfigProvider) {}

  get cipher(): CredentialCipher {
    if (!this.cipherValue) throw new Error('CredentialKeyring used before load()');
    return this.cipherValue;
  }

  /** `storedKeyIds`: key ids of every stored ciphertext; a mismatch stops start-up before any decrypt. */
  load(storedKeyIds: string[]): void {
    const cipher = new CredentialCipher(
      readConfiguredKey(this.configProvider.config.security, storedKeyIds.length > 0, this.logger),
    );
    const foreign = storedKeyIds.filter((id) => id !== cipher.keyId);
    if (foreign.length > 0) {
      throw new StartupError(
        `the configured encryption key (id ${cipher.keyId}) is not the key that encrypted ${foreign.length} stored cluster credential(s) (key id ${foreign[0]}). ` +
          'Start with the original CLOUDPILOT_ENCRYPTION_KEY or key file; nothing was changed.',
      );
    }
    this.cipherValue = cipher;
  }
}

/**
 * The configured key: CLOUDPILOT_ENCRYPTION_KEY, else the key file, else (only while nothing is
 * encrypted yet) a new random key written to the key file with mode 0600.
 */
export function readConfiguredKey(
  security: AppConfig['security'],
  credentialsExist: boolean,
  logger?: Logger,
): Buffer {
  const { encryptionKey, encryptionKeyFile } = security;
  try {
    if (encryptionKey) return parseEncryptionKey(encryptionKey);
    const file = resolve(encryptionKeyFile);
    if (existsSync(file)) return parseEncryptionKey(readFileSync(file, 'utf8').trim());
    if (credentialsExist)
      throw new StartupError(
        `cluster credentials are stored but no encryption key is configured: set CLOUDPILOT_ENCRYPTION_KEY or restore ${file}`,
      );
    const key = randomBytes(32);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    logger?.warn(
      { file },
      'generated a new credential encryption key file: back it up, stored clusters cannot be read without it',
    );
    return key;
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(
      `cannot load the credential encryption key: ${(error as Error).message}`,
    );
  }
}
