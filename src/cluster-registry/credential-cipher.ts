import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  KeyObject,
  randomBytes,
} from 'node:crypto';

/** A credential as stored: the key id sits beside the ciphertext so a wrong key is named, not guessed. */
export interface SealedCredential {
  keyId: string;
  /** base64 of the 12 random bytes used for this write only. */
  nonce: string;
  /** base64 of the AES-256-GCM ciphertext followed by its 16-byte tag. */
  ciphertext: string;
}

/** The sealed credential was written under another key: configuration, not corruption. */
export class CredentialKeyMismatchError extends Error {
  constructor(
    readonly expectedKeyId: string,
    readonly foundKeyId: string,
  ) {
    super(
      `credential was sealed with key ${foundKeyId}, but the configured key is ${expectedKeyId}`,
    );
    this.name = 'CredentialKeyMismatchError';
  }
}

/** Authentication failed: the ciphertext, nonce or tag was altered, or it belongs to another row. */
export class CredentialDecryptError extends Error {
  constructor() {
    super('credential cannot be decrypted: it was altered or belongs to another cluster');
    this.name = 'CredentialDecryptError';
  }
}

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes the configured key (CLOUDPILOT_ENCRYPTION_KEY or the key file's content): strict base64
 * of exactly 32 bytes, surrounding whitespace ignored. Errors describe the problem and never
 * quote the input, which is the key itself or a near miss of it.
 */
export function parseEncryptionKey(base64: string): Buffer {
  const text = typeof base64 === 'string' ? base64.trim() : '';
  if (text === '')
    throw new Error('the encryption key is empty; generate one with `openssl rand -base64 32`');
  if (!STRICT_BASE64.test(text))
    throw new Error(
      'the encryption key is not valid base64; generate one with `openssl rand -base64 32`',
    );
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `the encryption key must decode to ${KEY_BYTES} bytes, not ${key.length}; generate one with \`openssl rand -base64 32\``,
    );
  }
  return key;
}

function decodeField(value: unknown, minBytes: number, maxBytes: number): Buffer {
  if (typeof value !== 'string' || !STRICT_BASE64.test(value)) throw new CredentialDecryptError();
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < minBytes || bytes.length > maxBytes) throw new CredentialDecryptError();
  return bytes;
}

/**
 * AES-256-GCM sealing of JSON-serialisable credentials. `aad` (the cluster id) is authenticated
 * with the ciphertext, so a sealed value copied onto another row fails to open. The key lives in
 * a KeyObject in a private field: logging or serialising a cipher shows only its key id.
 */
export class CredentialCipher {
  /** First 16 hex digits of SHA-256('cloudpilot-key-id' ‖ key): tells keys apart, reveals nothing usable. */
  readonly keyId: string;
  readonly #key: KeyObject;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES)
      throw new Error(`the encryption key must be ${KEY_BYTES} bytes`);
    this.#key = createSecretKey(Buffer.from(key));
    this.keyId = createHash('sha256')
      .update('cloudpilot-key-id')
      .update(key)
      .digest('hex')
      .slice(0, 16);
  }

  /** Encrypts `value` as JSON under a fresh random nonce; two seals of one value never match. */
  seal(value: unknown, aad: string): SealedCredential {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('credential is not JSON-serialisable');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return {
      keyId: this.keyId,
      nonce: nonce.toString('base64'),
      ciphertext: body.toString('base64'),
    };
  }

  /**
   * Decrypts a sealed credential for the row `aad`. Throws CredentialKeyMismatchError before
   * touching the ciphertext when it names another key, CredentialDecryptError when it fails
   * authentication (tampered, truncated, or sealed for another row).
   */
  open(sealed: SealedCredential, aad: string): unknown {
    if (sealed.keyId !== this.keyId)
      throw new CredentialKeyMismatchError(this.keyId, String(sealed.keyId));
    const nonce = decodeField(sealed.nonce, NONCE_BYTES, NONCE_BYTES);
    const body = decodeField(sealed.ciphertext, TAG_BYTES, Number.MAX_SAFE_INTEGER);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    let json: string;
    try {
      json = Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new CredentialDecryptError();
    }
    return JSON.parse(json);
  }
}
