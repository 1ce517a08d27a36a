/**
 * Families of codes an operation answers by its shape rather than its logic, so the OpenAPI
 * document lists them from this table (src/common/openapi-errors.ts), never by hand per route:
 * - request: every /api operation (query, path and body validation; unknown query parameters)
 * - body: every operation with a JSON request body (the body parser)
 * - connection: every operation that takes a cluster URL or kubeconfig (the untrusted-input guards)
 */
export type ErrorFamily = 'request' | 'body' | 'connection';

/**
 * The catalogue of every stable error code the API returns, with its HTTP status and meaning.
 * One exhaustive place: the exception filter maps through it, docs/api.md and the OpenAPI
 * document list it, and a test keeps them in sync.
 */
export const ERROR_CATALOGUE = {
  ROUTE_NOT_FOUND: { status: 404, description: 'No route matches the method and path' },
  VALIDATION_FAILED: {
    status: 400,
    description: 'The request parameters or body are invalid; details lists each field',
    family: 'request',
  },
  MALFORMED_JSON: {
    status: 400,
    description: 'The request body is not valid JSON',
    family: 'body',
  },
  BAD_REQUEST: {
    status: 400,
    description: 'The request cannot be processed as sent',
    family: 'request',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description: 'The request body exceeds server.bodyLimitBytes',
    family: 'body',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'The request body has a content type this route does not accept',
    family: 'body',
  },
  UNAUTHENTICATED: { status: 401, description: 'No valid bearer token was presented' },
  TOKEN_EXPIRED: {
    status: 401,
    description: 'The JWT has expired (exp, with the allowed clock skew)',
  },
  TOKEN_NOT_YET_VALID: {
    status: 401,
    description: 'The JWT is not valid yet (nbf or iat in the future)',
  },
  TOKEN_AUDIENCE_INVALID: { status: 401, description: 'The JWT is not meant for CloudPilot (aud)' },
  TOKEN_ISSUER_UNKNOWN: {
    status: 401,
    description: 'The JWT comes from no configured OIDC issuer nor any registered cluster',
  },
  TOKEN_KEY_UNKNOWN: {
    status: 401,
    description: "No key of the issuer's JWKS matches the JWT's kid",
  },
  TOKEN_ALGORITHM_REFUSED: {
    status: 401,
    description: "The JWT's alg is not in the issuer's allow-list (never none, never HMAC)",
  },
  TOKEN_SIGNATURE_INVALID: {
    status: 401,
    description: 'The JWT is malformed, or its signature does not match its content',
  },
  TOKEN_NO_GRANTS: {
    status: 401,
    description: 'The JWT is valid but the claims-to-grants mapping gives it no grant',
  },
  FORBIDDEN: { status: 403, description: "The token's role does not allow this action" },
  NOT_FOUND: { status: 404, description: 'The addressed object does not exist' },
  OUT_OF_SCOPE: {
    status: 404,
    description:
      "Outside the caller's grants: a namespace not granted, or something that needs a cluster-wide grant",
  },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The method is not allowed on this route' },
  CONFLICT: { status: 409, description: 'The request conflicts with the current state' },
  TOO_MANY_REQUESTS: { status: 429, description: 'Too many requests' },
  SERVICE_UNAVAILABLE: { status: 503, description: 'A dependency is not ready' },
  INTERNAL_ERROR: {
    status: 500,
    description: 'Unexpected error; the log has the detail under the request id',
  },
  // Untrusted kubeconfigs and cluster URLs (src/kubernetes/*-guard.ts)
  CLUSTER_URL_INVALID: {
    status: 400,
    description:
      'The cluster URL is not an absolute URL with a host, or carries credentials, a query or a fragment',
    family: 'connection',
  },
  CLUSTER_URL_INSECURE_SCHEME: {
    status: 400,
    description:
      'The cluster URL is not https (plain http only for loopback, when the operator allows it)',
    family: 'connection',
  },
  CLUSTER_URL_FORBIDDEN_ADDRESS: {
    status: 400,
    description:
      'The cluster host is a link-local, metadata, unspecified, multicast or broadcast address',
    family: 'connection',
  },
  CLUSTER_URL_LOOPBACK_FORBIDDEN: {
    status: 400,
    description: 'The cluster host is loopback, which the operator has not allowed',
    family: 'connection',
  },
  KUBECONFIG_INVALID: {
    status: 400,
    description:
      'The kubeconfig is not valid YAML of kind Config, is over 1 MiB, or has malformed fields or certificate data',
    family: 'connection',
  },
  KUBECONFIG_CONTEXT_NOT_FOUND: {
    status: 400,
    description:
      'The requested (or current) context, or the cluster or user it names, is missing from the kubeconfig',
    family: 'connection',
  },
  KUBECONFIG_EXEC_FORBIDDEN: {
    status: 400,
    description: 'A kubeconfig user runs an exec credential plugin',
    family: 'connection',
  },
  KUBECONFIG_AUTH_PROVIDER_FORBIDDEN: {
    status: 400,
    description: 'A kubeconfig user relies on an auth-provider plugin',
    family: 'connection',
  },
  KUBECONFIG_FILE_REFERENCE_FORBIDDEN: {
    status: 400,
    description:
      'A kubeconfig names a token, certificate, key or CA file; only inline *-data fields and token are accepted',
    family: 'connection',
  },
  KUBECONFIG_BASIC_AUTH_FORBIDDEN: {
    status: 400,
    description: 'A kubeconfig user has a username/password',
    family: 'connection',
  },
  KUBECONFIG_IMPERSONATION_FORBIDDEN: {
    status: 400,
    description: 'A kubeconfig user impersonates (as, as-groups, as-uid, as-user-extra)',
    family: 'connection',
  },
  KUBECONFIG_PROXY_FORBIDDEN: {
    status: 400,
    description: 'A kubeconfig cluster sets proxy-url',
    family: 'connection',
  },
  KUBECONFIG_INSECURE_TLS_FORBIDDEN: {
    status: 400,
    description:
      'A kubeconfig cluster sets insecure-skip-tls-verify, which the operator has not allowed',
    family: 'connection',
  },
  KUBECONFIG_NO_CREDENTIALS: {
    status: 400,
    description: 'A kubeconfig user has neither a token nor a client certificate and key',
    family: 'connection',
  },
  // Kubernetes API answers and cluster reachability (src/kubernetes/k8s-error-mapping.ts)
  K8S_NOT_FOUND: {
    status: 404,
    description: 'The Kubernetes object or resource does not exist in that cluster',
  },
  K8S_CONFLICT: {
    status: 409,
    description: 'The object changed since it was read (resourceVersion) or already exists',
  },
  K8S_GONE: {
    status: 410,
    description:
      'The requested resourceVersion or continue token is too old (410 Gone); read again without it',
  },
  K8S_INVALID: {
    status: 422,
    description:
      'The API server rejected the object or request as invalid (400 or 422 from the cluster)',
  },
  K8S_FORBIDDEN: {
    status: 403,
    description: "The cluster refused CloudPilot's credential for this action (RBAC)",
  },
  K8S_THROTTLED: {
    status: 429,
    description: 'The API server is throttling requests; retry after details.retryAfterSeconds',
  },
  CLUSTER_AUTH_FAILED: {
    status: 502,
    description: "The cluster rejected CloudPilot's credential (401)",
  },
  CLUSTER_UNREACHABLE: {
    status: 503,
    description: 'The cluster cannot be reached (connection refused, DNS, TLS)',
  },
  CLUSTER_TIMEOUT: {
    status: 504,
    description: 'The cluster did not answer within the request deadline',
  },
  K8S_PREVIOUS_LOG_NOT_FOUND: {
    status: 404,
    description: 'The container has no previous (terminated) instance, so no previous log',
  },
  K8S_DISRUPTION_BUDGET_VIOLATION: {
    status: 409,
    description: 'The eviction would violate a PodDisruptionBudget; try later or scale first',
  },
  CLUSTER_ERROR: { status: 502, description: 'The API server answered with an unexpected error' },
  // Cluster registry (src/cluster-registry)
  CLUSTER_NOT_FOUND: { status: 404, description: 'No registered cluster has this id or name' },
  FINDING_NOT_FOUND: {
    status: 404,
    description: 'No current diagnostics finding has this id (it may have been resolved)',
  },
  SILENCE_NOT_FOUND: {
    status: 404,
    description: 'No diagnostics silence of this cluster has this id',
  },
  CHANGE_NOT_FOUND: {
    status: 404,
    description: 'No stored change of this cluster has this id (it may have expired)',
  },
  ROLLBACK_NOT_APPLICABLE: {
    status: 409,
    description:
      "The finding's top suspect is not a Deployment template change or rollout, so there is no previous revision to return to",
  },
  CLUSTER_NAME_TAKEN: { status: 409, description: 'Another cluster already has this name' },
  NOT_AVAILABLE_IN_INSTANT_MODE: {
    status: 405,
    description:
      'Instant mode has exactly one cluster from its start-up configuration; the registry is read-only',
  },
  // IstioGateway (src/istio-gateway)
  ISTIO_NOT_INSTALLED: {
    status: 404,
    description:
      'The cluster serves no networking.istio.io resources (Istio CRDs are not installed)',
  },
  GATEWAY_API_NOT_INSTALLED: {
    status: 404,
    description:
      'The cluster serves no gateway.networking.k8s.io resources (Gateway API CRDs are not installed)',
  },
  // Telemetry (src/telemetry): per cluster, usually returned as data in a telemetry answer
  TELEMETRY_NOT_CONFIGURED: {
    status: 404,
    description:
      'No Prometheus source is configured for this cluster (telemetry state notConfigured)',
  },
  PROMETHEUS_NOT_FOUND: {
    status: 404,
    description:
      'No in-cluster Prometheus was found (monitoring/prometheus-k8s, prometheus-server, prometheus-operated)',
  },
  PROMETHEUS_UNREACHABLE: {
    status: 503,
    description: 'Prometheus cannot be reached (connection refused, DNS, TLS)',
  },
  PROMETHEUS_TIMEOUT: {
    status: 504,
    description: 'Prometheus did not answer within telemetry.queryTimeoutSeconds',
  },
  PROMETHEUS_AUTH_FAILED: {
    status: 502,
    description: "Prometheus (or the API server's service proxy) refused the credential (401/403)",
  },
  PROMETHEUS_BAD_QUERY: {
    status: 422,
    description: 'Prometheus refused the PromQL query or its range as invalid',
  },
  PROMETHEUS_RESULT_TOO_LARGE: {
    status: 422,
    description:
      'The answer would exceed telemetry.maxSeries, telemetry.maxPoints or the size limit; narrow the query',
  },
  PROMETHEUS_ERROR: {
    status: 502,
    description: 'Prometheus answered with an unexpected error or a body that is not its API',
  },
  // LLM (src/llm)
  LLM_NOT_CONFIGURED: {
    status: 503,
    description:
      'No LLM provider is configured: set LLM_PROVIDER and LLM_API_KEY (and LLM_MODEL, CLOUDPILOT_LLM_BASE_URL as needed)',
  },
  LLM_PROVIDER_ERROR: {
    status: 502,
    description: 'The LLM provider failed or answered with an error (after retries)',
  },
  LLM_TIMEOUT: { status: 504, description: 'The LLM provider did not answer within the deadline' },
  LLM_RATE_LIMITED: {
    status: 429,
    description:
      'The LLM provider is rate limiting and its Retry-After exceeds the request deadline',
  },
  LLM_BUDGET_EXCEEDED: {
    status: 422,
    description:
      'The question used up its budget (llm.maxToolCalls, llm.maxTokens or llm.requestDeadlineSeconds)',
  },
  LLM_PROPOSAL_EXPIRED: {
    status: 410,
    description: 'The proposed change passed its expiry (llm.proposalTtlSeconds) without approval',
  },
  // Notifications and integrations (src/notifications)
  TARGET_URL_REFUSED: {
    status: 400,
    description:
      'The notification target URL is not an absolute https URL without credentials, query or fragment, or points at a forbidden, metadata or (unless allowed) loopback address',
  },
} as const satisfies Record<string, { status: number; description: string; family?: ErrorFamily }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** Every code of a family, in catalogue order. */
export function codesOf(family: ErrorFamily): ErrorCode[] {
  return (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).filter(
    (code) => (ERROR_CATALOGUE[code] as { family?: ErrorFamily }).family === family,
  );
}
