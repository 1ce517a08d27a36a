import type { Request } from 'express';
import { AppError } from '../common/app-error';

export const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** This deployment's base URL as the caller reached it (the resource identifier of RFC 9728). */
export function resourceOf(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

/**
 * Every 401 tells a client where to learn how to sign in (RFC 9728 §5.1): MCP clients follow
 * `resource_metadata` to the OIDC issuer instead of asking a person for a static token.
 */
export function unauthorized(error: unknown, request: Request): unknown {
  if (!(error instanceof AppError) || error.status !== 401) return error;
  const presented = !!request.headers.authorization;
  const challenge = [
    'Bearer realm="cloudpilot"',
    ...(presented ? ['error="invalid_token"'] : []),
    `resource_metadata="${resourceOf(request)}${METADATA_PATH}"`,
  ].join(', ');
  return new AppError(error.code, error.message, error.details, {
    ...error.headers,
    'WWW-Authenticate': challenge,
  });
}
