import { decodeJwt, decodeProtectedHeader, errors, JWTPayload, jwtVerify } from 'jose';

/** A token's claims, as the JWT library reads them: the rest of the code names them through here. */
export type JwtClaims = JWTPayload;
import { AppError } from '../../common/app-error';
import type { ErrorCode } from '../../common/error-codes';
import type { KeyStore } from './key-store';

export interface JwtExpectations {
  issuer: string;
  audience: string;
  algorithms: readonly string[];
  clockSkewSeconds: number;
  keys: KeyStore;
}

/** A JWT's claims, read without checking anything: only to choose who should verify it. */
export function unverifiedClaims(token: string): JWTPayload | null {
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

/** True when the bearer value is shaped like a JWS compact JWT (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/**
 * Verifies signature, `iss`, `aud`, `exp` and `nbf` (with the allowed skew) and returns the claims;
 * every refusal is a 401 with a code that says which check failed. The algorithm is checked
 * against the allow-list before any key is looked up, so `none` and HMAC never reach a key.
 */
export async function verifyJwt(token: string, expect: JwtExpectations): Promise<JWTPayload> {
  const alg = headerAlg(token);
  if (!expect.algorithms.includes(alg))
    throw refusal(
      'TOKEN_ALGORITHM_REFUSED',
      `The JWT algorithm ${alg.slice(0, 16)} is not accepted`,
    );
  try {
    const { payload } = await jwtVerify(token, expect.keys.resolve, {
      issuer: expect.issuer,
      audience: expect.audience,
      algorithms: [...expect.algorithms],
      clockTolerance: expect.clockSkewSeconds,
      requiredClaims: ['exp', 'sub'],
    });
    return payload;
  } catch (error) {
    throw refusal(...codeOf(error));
  }
}

function headerAlg(token: string): string {
  try {
    const alg = decodeProtectedHeader(token).alg;
    return typeof alg === 'string' ? alg : 'none';
  } catch {
    throw refusal('TOKEN_SIGNATURE_INVALID', 'The bearer token is not a well-formed JWT');
  }
}

const CLAIM_CODES: Record<string, [ErrorCode, string]> = {
  nbf: ['TOKEN_NOT_YET_VALID', 'The JWT is not valid yet'],
  iat: ['TOKEN_NOT_YET_VALID', 'The JWT was issued in the future'],
  aud: ['TOKEN_AUDIENCE_INVALID', 'The JWT is not meant for CloudPilot (aud)'],
  iss: ['TOKEN_ISSUER_UNKNOWN', 'The JWT issuer is not the expected one'],
};

function codeOf(error: unknown): [ErrorCode, string] {
  if (error instanceof AppError && error.code.startsWith('TOKEN_')) throw error;
  if (error instanceof errors.JWTExpired) return ['TOKEN_EXPIRED', 'The JWT has expired'];
  if (error instanceof errors.JWTClaimValidationFailed)
    return (
      CLAIM_CODES[error.claim] ?? [
        'TOKEN_SIGNATURE_INVALID',
        `The JWT claim ${error.claim} is invalid`,
      ]
    );
  if (error instanceof errors.JOSEAlgNotAllowed)
    return ['TOKEN_ALGORITHM_REFUSED', 'The JWT algorithm is not accepted'];
  if (error instanceof errors.JWKSNoMatchingKey)
    return ['TOKEN_KEY_UNKNOWN', 'No key of the issuer matches the JWT (kid)'];
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return ['TOKEN_KEY_UNKNOWN', 'Several keys of the issuer match the JWT; it names no kid'];
  if (error instanceof errors.JOSEError)
    return ['TOKEN_SIGNATURE_INVALID', 'The JWT signature or shape is invalid'];
  // The issuer's keys could not be fetched and none are cached: the token cannot be checked.
  return ['TOKEN_KEY_UNKNOWN', "The issuer's keys are unavailable"];
}

function refusal(code: ErrorCode, message: string): AppError {
  return new AppError(code, message);
}
