import { DataSource } from 'typeorm';
import { ClusterEntity } from './cluster.entity';
import { CredentialCipher } from './credential-cipher';

/**
 * Re-encrypts every stored cluster credential from one key to another in a single transaction:
 * either all rows move to the new key or none do.
 */
export async function rotateCredentials(
  dataSource: DataSource,
  from: CredentialCipher,
  to: CredentialCipher,
): Promise<number> {
  return dataSource.transaction(async (tx) => {
    const rows = await tx.find(ClusterEntity);
    for (const row of rows) {
      const plain = from.open(
        {
          keyId: row.credentialKeyId,
          nonce: row.credentialNonce,
          ciphertext: row.credentialCiphertext,
        },
        row.id,
      );
      const sealed = to.seal(plain, row.id);
      await tx.update(
        ClusterEntity,
        { id: row.id },
        {
          credentialKeyId: sealed.keyId,
          credentialNonce: sealed.nonce,
          credentialCiphertext: sealed.ciphertext,
        },
      );
    }
    return rows.length;
  });
}
