/**
 * The catalogue of every stable error code the API returns, with its HTTP status and meaning.
 * One exhaustive place: the exception filter maps through it, docs/api.md and the OpenAPI
 * document list it, and a test keeps them in sync.
 */
export const ERROR_CATALOGUE = {
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches the method and path' },
  VALIDATION_FAILED: { status: 400, description: 'The request parameters or body are invalid; details lists each field' },
  MALFORMED_JSON: { status: 400, description: 'The request body is not valid JSON' },
  BAD_REQUEST: { status: 400, description: 'The request cannot be processed as sent' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body exceeds server.bodyLimitBytes' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has a content type this route does not accept' },
  UNAUTHENTICATED: { status: 401, description: 'No valid bearer token was presented' },
  FORBIDDEN: { status: 403, description: "The token's role does not allow this action" },
  NOT_FOUND: { status: 404, description: 'The addressed object does not exist' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The method is not allowed on this route' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state' },
  TOO_MANY_REQUESTS: { status: 429, description: 'Too many requests' },
  SERVICE_UNAVAILABLE: { status: 503, description: 'A dependency is not ready' },
  INTERNAL_ERROR: { status: 500, description: 'Unexpected error; the log has the detail under the request id' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}
