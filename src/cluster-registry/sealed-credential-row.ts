import type {
  EntityManager,
  EntityTarget,
  FindOptionsWhere,
  ObjectLiteral,
  QueryDeepPartialEntity,
} from 'typeorm';
import { Columns } from '../database/column.decorator';
import type { CredentialCipher, SealedCredential } from './credential-cipher';

/**
 * The three columns a sealed credential is stored in (`credential_*`), for every table that keeps
 * one beside its clear columns: a cluster's connection, a cluster's telemetry source.
 */
export abstract class SealedCredentialRow {
  @Columns.varchar(32, { name: 'credential_key_id' }) credentialKeyId: string;
  @Columns.varchar(32, { name: 'credential_nonce' }) credentialNonce: string;
  @Columns.text({ name: 'credential_ciphertext' }) credentialCiphertext: string;
}

type SealedColumns = Pick<SealedCredentialRow, keyof SealedCredentialRow>;

export function sealedOf(row: SealedColumns): SealedCredential {
  return {
    keyId: row.credentialKeyId,
    nonce: row.credentialNonce,
    ciphertext: row.credentialCiphertext,
  };
}

export function sealedColumns(sealed: SealedCredential): SealedColumns {
  return {
    credentialKeyId: sealed.keyId,
    credentialNonce: sealed.nonce,
    credentialCiphertext: sealed.ciphertext,
  };
}

/** How one table's rows are re-sealed: the seal's columns and the key it is bound to. */
export interface ResealSpec<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  /** The primary key: its value, after `aadPrefix`, is the seal's associated data. */
  key: keyof T & string;
  aadPrefix?: string;
  sealedOf(row: T): SealedCredential;
  columns(sealed: SealedCredential): QueryDeepPartialEntity<T>;
}

/**
 * Re-seals every row of one table from one key to another inside the caller's transaction (the key
 * rotation runs all tables in one, so all move or none); the number of rows.
 */
export async function resealRows<T extends ObjectLiteral>(
  tx: EntityManager,
  spec: ResealSpec<T>,
  from: CredentialCipher,
  to: CredentialCipher,
): Promise<number> {
  const rows = await tx.find(spec.entity);
  for (const row of rows) {
    const id = row[spec.key] as string;
    const aad = (spec.aadPrefix ?? '') + id;
    const sealed = to.seal(from.open(spec.sealedOf(row), aad), aad);
    const where = { [spec.key]: id } as FindOptionsWhere<T>;
    await tx.update(spec.entity, where, spec.columns(sealed));
  }
  return rows.length;
}
