import type { Grant } from '../common/access-grants';
/** The two ways CloudPilot runs: one in-cluster target, or a central registry of many clusters. */
export type AppMode = 'server' | 'instant';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export type AuthMode = 'token' | 'none';
export type LlmProvider = 'openai' | 'azure' | 'deepseek' | 'qwen' | 'ollama' | 'vllm';

/** One more named provider of `llm.providers`; unset fields take the provider kind's defaults. */
export interface NamedLlmProvider {
  provider: LlmProvider;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  inputPricePerMTok?: number;
  outputPricePerMTok?: number;
}

/** An OIDC issuer whose JWTs are accepted as bearer tokens. */
export interface OidcIssuerConfig {
  /** Exactly the `iss` of its tokens; its discovery document is under /.well-known/openid-configuration. */
  issuer: string;
  /** The `aud` a token must carry to be meant for CloudPilot. */
  audience: string;
  /** Asymmetric algorithms accepted (never none, never HMAC). */
  algorithms: string[];
  /** Least time between two JWKS fetches caused by an unknown `kid`. */
  jwksCooldownSeconds: number;
  /** Age after which the JWKS is fetched again; if the issuer is down then, the old keys stay. */
  jwksMaxAgeSeconds: number;
}

/** Grants given to the JWTs whose claims match every field set here. */
export interface GrantMapping {
  /** Only tokens of this issuer (OIDC issuer URL); any issuer when unset. */
  issuer?: string;
  subject?: string;
  /** A value of the token's `groups` claim. */
  group?: string;
  /** The domain of a verified `email` claim. */
  emailDomain?: string;
  /** `system:serviceaccount:<namespace>:<name>` of a registered cluster's ServiceAccount token. */
  serviceAccount?: string;
  grants: Grant[];
}

/** An error-ratio class of the service health and its thresholds, in percent (Kiali's tolerances). */
export interface HealthTolerance {
  code: '5xx' | '4xx' | 'grpc';
  degraded: number;
  failure: number;
}

/** Tolerances for the services or workloads whose namespace, kind and name match these patterns. */
export interface HealthOverride {
  namespace: string;
  kind: string;
  name: string;
  tolerances: HealthTolerance[];
}

/** Where the effective value of a key came from, lowest precedence first. */
export type ConfigSource = 'default' | 'file' | 'env' | 'cli';

/** The typed, validated configuration; built once at start-up and never mutated. */
export interface AppConfig {
  mode: AppMode;
  server: { host: string; port: number; bodyLimitBytes: number; shutdownTimeoutSeconds: number };
  log: { level: LogLevel; debug: boolean };
  database: { url: string };
  auth: {
    mode: AuthMode;
    adminToken: string | undefined;
    oidcIssuers: OidcIssuerConfig[];
    serviceAccountAudience: string | undefined;
    grantMappings: GrantMapping[];
    clockSkewSeconds: number;
  };
  security: { encryptionKey: string | undefined; encryptionKeyFile: string };
  clusters: {
    allowLoopback: boolean;
    allowPlainHttpLoopback: boolean;
    allowInsecureSkipTlsVerify: boolean;
  };
  kubernetes: {
    instantClusterName: string;
    inCluster: boolean;
    apiServer: string | undefined;
    token: string | undefined;
    caFile: string | undefined;
    kubeconfig: string | undefined;
    requestTimeoutSeconds: number;
  };
  llm: {
    provider: LlmProvider;
    apiKey: string | undefined;
    model: string;
    baseUrl: string | undefined;
    providers: Record<string, NamedLlmProvider>;
    timeoutSeconds: number;
    maxRetries: number;
    requestDeadlineSeconds: number;
    maxToolCalls: number;
    maxTokens: number;
    toolResultMaxBytes: number;
    proposalTtlSeconds: number;
    redactPatterns: string[];
    inputPricePerMTok: number;
    outputPricePerMTok: number;
  };
  monitor: {
    refreshIntervalSeconds: number;
    cacheTtlSeconds: number;
    historySize: number;
    fleetDeadlineSeconds: number;
    tlsSecretCertificates: boolean;
    coldSyncConcurrency: number;
  };
  coordination: { leaderElection: 'auto' | 'postgres' | 'none'; retryIntervalSeconds: number };
  sharding: {
    enabled: boolean;
    minClusters: number;
    replicationFactor: number;
    memberTimeoutSeconds: number;
    internalPort: number;
    /** Where the other replicas reach this one's internal port; empty: http://<hostname>:<port>. */
    internalAddress: string;
    internalSecret?: string;
  };
  history: { retentionDays: number; nodePoolLabels: string[] };
  changes: {
    enabled: boolean;
    retentionDays: number;
    maxPerClusterPerDay: number;
    suspectWindowMinutes: number;
  };
  diagnostics: {
    isolation: 'auto' | 'worker' | 'inline';
    disabledCodes: string[];
    unusedObjects: boolean;
  };
  forecasts: {
    restartRatePerHour: number;
    findingHorizonDays: number;
    findingMinConfidencePercent: number;
  };
  telemetry: {
    prometheusUrl: string | undefined;
    bearerToken: string | undefined;
    basicAuth: string | undefined;
    caData: string | undefined;
    queryTimeoutSeconds: number;
    maxSeries: number;
    maxPoints: number;
    viewCacheSeconds: number;
    viewStaleSeconds: number;
    warmIntervalSeconds: number;
    warmWindows: number[];
    warmForMinutes: number;
    warmMaxViews: number;
    healthOverrides: HealthOverride[];
  };
  notifications: {
    scanIntervalSeconds: number;
    maxAttempts: number;
    retryBaseSeconds: number;
    retryMaxSeconds: number;
    timeoutSeconds: number;
    allowLoopbackTargets: boolean;
    publicUrl: string | undefined;
  };
  behaviour: {
    intervalSeconds: number;
    windowSeconds: number;
    baselineOffsetSeconds: number;
    volumeWindowSeconds: number;
    volumeLinePercent: number;
  };
}

export interface ConfigProblem {
  key: string;
  origin: string;
  message: string;
}

/** Thrown when configuration cannot be built; main prints one line per problem and exits 2. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.key} (${p.origin}): ${p.message}`).join('\n'));
    this.name = 'ConfigValidationError';
  }
}
