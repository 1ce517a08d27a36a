import { Columns } from '../database/column.decorator';

/**
 * How a bearer secret is stored (API tokens, alert receivers' tokens): never the secret, only the
 * public id it is looked up by and the SHA-256 of its secret part, compared in constant time.
 */
export abstract class HashedSecretRow {
  @Columns.varchar(32, { name: 'public_id', unique: true }) publicId: string;
  @Columns.varchar(64, { name: 'secret_hash' }) secretHash: string;
}
