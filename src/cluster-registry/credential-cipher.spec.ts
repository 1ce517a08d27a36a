import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { AppError } from '../common/app-error';
import {
  CredentialCipher,
  CredentialDecryptError,
  CredentialKeyMismatchError,
  parseEncryptionKey,
  SealedCredential,
} from './credential-cipher';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 9);
const CLUSTER_ID = '6f1c2a4e-8d1b-4c1e-9a55-3e0f6d2b7c10';
const CREDENTIAL = {
  server: 'https://10.0.0.1:6443',
  auth: { type: 'token', token: 'sa-token-TOPSECRET' },
};

function flipByte(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index < 0 ? bytes.length + index : index] ^= 0x01;
  return bytes.toString('base64');
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseEncryptionKey', () => {
  it('decodes base64 of exactly 32 bytes, ignoring the surrounding whitespace of a key file', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(`${key.toString('base64')}\n`).equals(key)).toBe(true);
  });

  it.each([
    ['31 bytes', randomBytes(31).toString('base64'), /must decode to 32 bytes, not 31/],
    ['33 bytes', randomBytes(33).toString('base64'), /must decode to 32 bytes, not 33/],
    ['64 hex digits', randomBytes(32).toString('hex'), /32 bytes, not 48/],
    ['base64url alphabet', `${'-_'.repeat(21)}A=`, /not valid base64/],
    ['text with a space inside', 'c2VjcmV0 IGtleQ==', /not valid base64/],
    ['an empty value', '  \n', /is empty/],
  ])(
    'refuses %s with a message that says why and never quotes the key',
    (_name, input, message) => {
      const error = thrown(() => parseEncryptionKey(input)) as Error;
      expect(error.message).toMatch(message);
      expect(error.message).toContain('openssl rand -base64 32');
      if (input.trim()) expect(error.message).not.toContain(input.trim().slice(0, 12));
    },
  );
});

describe('CredentialCipher', () => {
  const cipher = new CredentialCipher(KEY);

  it('derives a 16-hex key id from the key, stable per key and different across keys', () => {
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('cloudpilot-key-id'), KEY]))
      .digest('hex')
      .slice(0, 16);
    expect(cipher.keyId).toBe(expected);
    expect(new CredentialCipher(Buffer.from(KEY)).keyId).toBe(cipher.keyId);
    expect(new CredentialCipher(OTHER_KEY).keyId).not.toBe(cipher.keyId);
    expect(cipher.keyId).not.toBe(createHash('sha256').update(KEY).digest('hex').slice(0, 16));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new CredentialCipher(Buffer.alloc(16))).toThrow('32 bytes');
  });

  it('round-trips a credential object for the same cluster id', () => {
    expect(cipher.open(cipher.seal(CREDENTIAL, CLUSTER_ID), CLUSTER_ID)).toEqual(CREDENTIAL);
  });

  it('uses a fresh 12-byte nonce per write and appends the 16-byte tag', () => {
    const a = cipher.seal(CREDENTIAL, CLUSTER_ID);
    const b = cipher.seal(CREDENTIAL, CLUSTER_ID);
    expect(a.keyId).toBe(cipher.keyId);
    expect(Buffer.from(a.nonce, 'base64')).toHaveLength(12);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext, 'base64')).toHaveLength(
      Buffer.byteLength(JSON.stringify(CREDENTIAL)) + 16,
    );
  });

  it('stores nothing of the credential in readable form', () => {
    const sealed = cipher.seal(CREDENTIAL, CLUSTER_ID);
    const stored = Buffer.concat([
      Buffer.from(JSON.stringify(sealed)),
      Buffer.from(sealed.ciphertext, 'base64'),
    ]).toString('latin1');
    expect(stored).not.toContain('TOPSECRET');
    expect(stored).not.toContain('token');
  });

  it('refuses a ciphertext moved to another cluster row (aad)', () => {
    const sealed = cipher.seal(CREDENTIAL, CLUSTER_ID);
    expect(thrown(() => cipher.open(sealed, 'another-cluster-id'))).toBeInstanceOf(
      CredentialDecryptError,
    );
  });

  it.each([
    [
      'a flipped ciphertext byte',
      (s: SealedCredential) => ({ ...s, ciphertext: flipByte(s.ciphertext, 0) }),
    ],
    [
      'a flipped tag byte',
      (s: SealedCredential) => ({ ...s, ciphertext: flipByte(s.ciphertext, -1) }),
    ],
    ['a flipped nonce byte', (s: SealedCredential) => ({ ...s, nonce: flipByte(s.nonce, 0) })],
    [
      'a truncated ciphertext',
      (s: SealedCredential) => ({
        ...s,
        ciphertext: Buffer.from(s.ciphertext, 'base64').subarray(0, 15).toString('base64'),
      }),
    ],
    [
      'a dropped tag',
      (s: SealedCredential) => ({
        ...s,
        ciphertext: Buffer.from(s.ciphertext, 'base64').subarray(0, -16).toString('base64'),
      }),
    ],
    [
      'a short nonce',
      (s: SealedCredential) => ({ ...s, nonce: Buffer.alloc(8).toString('base64') }),
    ],
    ['a nonce that is not base64', (s: SealedCredential) => ({ ...s, nonce: '!!not-base64!!' })],
    [
      'a ciphertext that is not a string',
      (s: SealedCredential) => ({ ...s, ciphertext: null as unknown as string }),
    ],
  ])('refuses %s with CredentialDecryptError', (_name, tamper) => {
    const tampered = tamper(cipher.seal(CREDENTIAL, CLUSTER_ID));
    expect(thrown(() => cipher.open(tampered, CLUSTER_ID))).toBeInstanceOf(CredentialDecryptError);
  });

  it('names both key ids when the credential was sealed under another key, without trying to decrypt', () => {
    const other = new CredentialCipher(OTHER_KEY);
    const error = thrown(() =>
      cipher.open(other.seal(CREDENTIAL, CLUSTER_ID), CLUSTER_ID),
    ) as CredentialKeyMismatchError;
    expect(error).toBeInstanceOf(CredentialKeyMismatchError);
    expect(error).not.toBeInstanceOf(AppError);
    expect([error.expectedKeyId, error.foundKeyId]).toEqual([cipher.keyId, other.keyId]);
    expect(error.message).toContain(other.keyId);
  });

  it('still authenticates when a wrong key claims the right key id', () => {
    const forged = {
      ...new CredentialCipher(OTHER_KEY).seal(CREDENTIAL, CLUSTER_ID),
      keyId: cipher.keyId,
    };
    expect(thrown(() => cipher.open(forged, CLUSTER_ID))).toBeInstanceOf(CredentialDecryptError);
  });

  it('refuses a value that JSON cannot hold', () => {
    expect(() => cipher.seal(undefined, CLUSTER_ID)).toThrow(TypeError);
  });

  it('shows only its key id when logged or serialised, and ignores later changes to the key buffer', () => {
    const key = Buffer.from(KEY);
    const own = new CredentialCipher(key);
    const sealed = own.seal(CREDENTIAL, CLUSTER_ID);
    key.fill(0);
    expect(own.open(sealed, CLUSTER_ID)).toEqual(CREDENTIAL);
    expect(JSON.stringify(own)).toBe(JSON.stringify({ keyId: own.keyId }));
    const shown = inspect(own, { depth: 5, showHidden: true });
    expect(shown).not.toContain(KEY.toString('hex').slice(0, 16));
    expect(shown).not.toContain(KEY.toString('base64').slice(0, 16));
  });
});
