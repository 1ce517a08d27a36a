import { DataSource, EntityManager } from 'typeorm';
import { ClusterEntity } from './cluster.entity';
import { CredentialCipher } from './credential-cipher';

/** Re-seals what a feature stores under the keyring (e.g. telemetry sources), inside the transaction. */
export type Resealer = (
  tx: EntityManager,
  from: CredentialCipher,
  to: CredentialCipher,
) => Promise<number>;

/**
 * Re-encrypts every stored cluster credential, and what `also` re-seals, from one key to another
 * in a single transaction: either all rows move to the new key or none do.
 */
export async function rotateCredentials(
  dataSource: DataSource,
  from: CredentialCipher,
  to: CredentialCipher,
  also: readonly Resealer[] = [],
): Promise<{ clusters: number; others: number }> {
  return dataSource.transaction(async (tx) => {
    let others = 0;
    for (const reseal of also) others += await reseal(tx, from, to);
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
    return { clusters: rows.length, others };
  });
}
