import { DataSource, EntityManager } from 'typeorm';
import { ClusterEntity } from './cluster.entity';
import { CredentialCipher } from './credential-cipher';
import { ResealSpec, resealRows, sealedColumns, sealedOf } from './sealed-credential-row';

const CLUSTER_SEALS: ResealSpec<ClusterEntity> = {
  entity: ClusterEntity,
  key: 'id',
  sealedOf,
  columns: sealedColumns,
};

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
    const clusters = await resealRows(tx, CLUSTER_SEALS, from, to);
    return { clusters, others };
  });
}
