import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Token format `cpt_<publicId>_<secret>`: the public id finds the row, the 32-byte random secret
 * is checked against its SHA-256 in constant time. The prefix lets secret scanners recognise leaks.
 */
const TOKEN_PATTERN = /^cpt_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  token: string;
  publicId: string;
  secretHash: string;
}

export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

export function issueToken(): IssuedToken {
  const publicId = randomBytes(12)
    .toString('base64url')
    .replace(/[-_]/g, '')
    .padEnd(16, '0')
    .slice(0, 16);
  const secret = randomBytes(32).toString('base64url');
  return { token: `cpt_${publicId}_${secret}`, publicId, secretHash: sha256Hex(secret) };
}

export function splitToken(token: string): { publicId: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { publicId: match[1], secret: match[2] } : null;
}

/** Constant-time comparison of two strings of any length (hashing first equalises the lengths). */
export function constantTimeEquals(a: string, b: string): boolean {
  return matchesDigest(a, digestOf(b));
}

/** The SHA-256 of a secret the server compares against often (the admin token): hashed once. */
export function digestOf(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/** Constant-time: does `presented` hash to `digest`? */
export function matchesDigest(presented: string, digest: Buffer): boolean {
  return timingSafeEqual(digestOf(presented), digest);
}
