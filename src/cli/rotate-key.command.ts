import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { CredentialCipher, parseEncryptionKey } from '../cluster-registry/credential-cipher';
import { readConfiguredKey } from '../cluster-registry/credential-keyring';
import { StartupError } from '../common/startup-error';
import { rotateCredentials } from '../cluster-registry/key-rotation';
import { loadConfig } from '../config/config-loader';
import { appDataSourceOptions } from '../app-data-source';
import { resealNotificationRoutes } from '../notifications/route-cipher';
import { resealTelemetrySources } from '../telemetry/registry-telemetry-sources';

/**
 * `cloudpilot rotate-encryption-key --new-key-file FILE [config flags]`: re-encrypts every stored
 * credential under the new key, atomically. When the old key came from the key file, that file
 * then holds the new key (the old one is kept as <file>.old); otherwise set the new
 * CLOUDPILOT_ENCRYPTION_KEY before the next start.
 */
export async function rotateKeyCommand(argv: string[]): Promise<string> {
  const at = argv.indexOf('--new-key-file');
  const newKeyFile = at >= 0 ? argv[at + 1] : undefined;
  if (!newKeyFile)
    throw new StartupError(
      'rotate-encryption-key needs --new-key-file FILE (base64 of 32 random bytes)',
    );
  const rest = [...argv.slice(0, at), ...argv.slice(at + 2)];
  const { config } = loadConfig(rest);
  const to = new CredentialCipher(parseEncryptionKey(readFileSync(newKeyFile, 'utf8').trim()));
  const dataSource = await new DataSource(appDataSourceOptions(config.database.url)).initialize();
  try {
    const from = new CredentialCipher(readConfiguredKey(config.security, true));
    const { clusters, others } = await rotateCredentials(dataSource, from, to, [
      resealTelemetrySources,
      resealNotificationRoutes,
    ]);
    const count = `${clusters} cluster credential(s) and ${others} other sealed secret(s) (telemetry sources, notification routes)`;
    const keyFile = resolve(config.security.encryptionKeyFile);
    if (!config.security.encryptionKey && existsSync(keyFile)) {
      copyFileSync(keyFile, `${keyFile}.old`);
      writeFileSync(keyFile, readFileSync(newKeyFile));
      return `re-encrypted ${count} under key ${to.keyId}; ${keyFile} now holds the new key (old key in ${keyFile}.old)`;
    }
    return `re-encrypted ${count} under key ${to.keyId}; set CLOUDPILOT_ENCRYPTION_KEY to the new key before the next start`;
  } finally {
    await dataSource.destroy();
  }
}
