import {
  bool,
  databaseUrl,
  dnsLabel,
  httpUrl,
  intRange,
  nonEmpty,
  oneOf,
  Parser,
  secretToken,
} from './config-parsers';
import { llmProviders, price, regexList } from './llm-config-parsers';

/**
 * One row per configuration key: its YAML path, environment variable, CLI flag, default and parser.
 * This table is the single source for loading, validation, unknown-key detection, secret masking
 * and the README's config table. Seed variable names (DEBUG, LOG_LEVEL, DATABASE_URL, K8S_*, LLM_*)
 * are kept exactly; new keys use CLOUDPILOT_*.
 */
export interface ConfigKey {
  path: string;
  env?: string;
  flag?: string;
  default: unknown;
  parse: Parser<unknown>;
  secret?: boolean;
  doc: string;
}

export const CONFIG_KEYS: readonly ConfigKey[] = [
  {
    path: 'mode',
    env: 'CLOUDPILOT_MODE',
    flag: 'mode',
    default: 'server',
    parse: oneOf('server', 'instant'),
    doc: 'server: many clusters from the database; instant: the one cluster CloudPilot runs in or points at',
  },
  {
    path: 'server.host',
    env: 'CLOUDPILOT_HOST',
    flag: 'host',
    default: '127.0.0.1',
    parse: nonEmpty,
    doc: 'Address to listen on (0.0.0.0 in a container)',
  },
  {
    path: 'server.port',
    env: 'CLOUDPILOT_PORT',
    flag: 'port',
    default: 8000,
    parse: intRange(1, 65535),
    doc: 'TCP port to listen on',
  },
  {
    path: 'server.bodyLimitBytes',
    env: 'CLOUDPILOT_BODY_LIMIT_BYTES',
    default: 1048576,
    parse: intRange(1024, 64 * 1048576),
    doc: 'Largest accepted request body; larger bodies get 413 PAYLOAD_TOO_LARGE',
  },
  {
    path: 'server.shutdownTimeoutSeconds',
    env: 'CLOUDPILOT_SHUTDOWN_TIMEOUT_SECONDS',
    default: 10,
    parse: intRange(0, 600),
    doc: 'How long SIGTERM waits for in-flight requests before closing them',
  },
  {
    path: 'log.level',
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: 'info',
    parse: oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal'),
    doc: 'Minimum level of the JSON log lines',
  },
  {
    path: 'log.debug',
    env: 'DEBUG',
    default: false,
    parse: bool,
    doc: 'true lowers the log level to debug (seed compatibility)',
  },
  {
    path: 'database.url',
    env: 'DATABASE_URL',
    default: 'sqlite:///./cloudpilot.db',
    parse: databaseUrl,
    secret: true,
    doc: 'sqlite:///<path> (embedded, one replica) or postgres://… (several replicas)',
  },
  {
    path: 'auth.mode',
    env: 'CLOUDPILOT_AUTH',
    flag: 'auth',
    default: 'token',
    parse: oneOf('token', 'none'),
    doc: 'token: bearer tokens required; none: development only, refused unless host is 127.0.0.1',
  },
  {
    path: 'auth.adminToken',
    env: 'CLOUDPILOT_ADMIN_TOKEN',
    default: undefined,
    parse: secretToken,
    secret: true,
    doc: 'A fixed admin token (≥ 32 chars). Unset on an empty database: one is generated and printed once',
  },
  {
    path: 'security.encryptionKey',
    env: 'CLOUDPILOT_ENCRYPTION_KEY',
    default: undefined,
    parse: nonEmpty,
    secret: true,
    doc: 'Base64 of 32 random bytes: the AES-256-GCM key of stored cluster credentials (overrides the key file)',
  },
  {
    path: 'security.encryptionKeyFile',
    env: 'CLOUDPILOT_ENCRYPTION_KEY_FILE',
    default: './cloudpilot.key',
    parse: nonEmpty,
    doc: 'File holding the key (base64). Created on first start when no cluster is stored yet; back it up',
  },
  {
    path: 'clusters.allowLoopback',
    env: 'CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS',
    default: false,
    parse: bool,
    doc: 'Accept cluster API servers on loopback addresses (demo, tests); refused by default',
  },
  {
    path: 'clusters.allowPlainHttpLoopback',
    env: 'CLOUDPILOT_ALLOW_PLAIN_HTTP_LOOPBACK',
    default: false,
    parse: bool,
    doc: 'Accept http:// API servers, only on loopback',
  },
  {
    path: 'clusters.allowInsecureSkipTlsVerify',
    env: 'CLOUDPILOT_ALLOW_INSECURE_SKIP_TLS_VERIFY',
    default: false,
    parse: bool,
    doc: 'Accept kubeconfigs with insecure-skip-tls-verify: true',
  },
  {
    path: 'kubernetes.instantClusterName',
    env: 'CLOUDPILOT_INSTANT_CLUSTER_NAME',
    default: 'local',
    parse: dnsLabel,
    doc: 'Instant mode: id and name of the one cluster',
  },
  {
    path: 'kubernetes.inCluster',
    env: 'K8S_IN_CLUSTER',
    default: false,
    parse: bool,
    doc: 'Instant mode: use the pod ServiceAccount',
  },
  {
    path: 'kubernetes.apiServer',
    env: 'K8S_API_SERVER',
    default: undefined,
    parse: httpUrl,
    doc: 'Instant mode: API server URL (with kubernetes.token)',
  },
  {
    path: 'kubernetes.caFile',
    env: 'CLOUDPILOT_K8S_CA_FILE',
    default: undefined,
    parse: nonEmpty,
    doc: 'Instant mode: PEM CA file that signed kubernetes.apiServer (default: system trust)',
  },
  {
    path: 'kubernetes.token',
    env: 'K8S_TOKEN',
    default: undefined,
    parse: nonEmpty,
    secret: true,
    doc: 'Instant mode: bearer token for kubernetes.apiServer',
  },
  {
    path: 'kubernetes.kubeconfig',
    env: 'KUBECONFIG',
    default: undefined,
    parse: nonEmpty,
    doc: 'Instant mode: kubeconfig file (current context); default ~/.kube/config',
  },
  {
    path: 'kubernetes.requestTimeoutSeconds',
    env: 'CLOUDPILOT_K8S_REQUEST_TIMEOUT_SECONDS',
    default: 10,
    parse: intRange(1, 300),
    doc: 'Deadline of every Kubernetes API request (watches excepted)',
  },
  {
    path: 'llm.provider',
    env: 'LLM_PROVIDER',
    default: 'openai',
    parse: oneOf('openai', 'azure', 'deepseek', 'qwen', 'ollama', 'vllm'),
    doc: 'OpenAI-compatible provider of the assistant',
  },
  {
    path: 'llm.apiKey',
    env: 'LLM_API_KEY',
    default: undefined,
    parse: nonEmpty,
    secret: true,
    doc: 'API key of the LLM provider',
  },
  {
    path: 'llm.model',
    env: 'LLM_MODEL',
    default: 'gpt-4o-mini',
    parse: nonEmpty,
    doc: 'Model name passed to the provider',
  },
  {
    path: 'llm.baseUrl',
    env: 'CLOUDPILOT_LLM_BASE_URL',
    default: undefined,
    parse: httpUrl,
    doc: 'Base URL of the OpenAI-compatible API (Ollama, vLLM, Azure…)',
  },
  {
    path: 'llm.providers',
    env: 'CLOUDPILOT_LLM_PROVIDERS',
    default: {},
    parse: llmProviders,
    secret: true,
    doc: 'More named providers (YAML mapping, or JSON in the env): name → {provider, baseUrl, apiKey, model, inputPricePerMTok, outputPricePerMTok}; a session picks one by name',
  },
  {
    path: 'llm.timeoutSeconds',
    env: 'CLOUDPILOT_LLM_TIMEOUT_SECONDS',
    default: 60,
    parse: intRange(1, 600),
    doc: 'Deadline of one model call (retried calls each get their own, within the request deadline)',
  },
  {
    path: 'llm.maxRetries',
    env: 'CLOUDPILOT_LLM_MAX_RETRIES',
    default: 2,
    parse: intRange(0, 10),
    doc: 'Retries of a model call after 429 (honouring Retry-After), 5xx or a timeout, with backoff',
  },
  {
    path: 'llm.requestDeadlineSeconds',
    env: 'CLOUDPILOT_LLM_REQUEST_DEADLINE_SECONDS',
    default: 180,
    parse: intRange(5, 3600),
    doc: 'Longest one question (all model calls and tools) may take; then LLM_BUDGET_EXCEEDED',
  },
  {
    path: 'llm.maxToolCalls',
    env: 'CLOUDPILOT_LLM_MAX_TOOL_CALLS',
    default: 12,
    parse: intRange(1, 200),
    doc: 'Tool calls one question may make; then LLM_BUDGET_EXCEEDED',
  },
  {
    path: 'llm.maxTokens',
    env: 'CLOUDPILOT_LLM_MAX_TOKENS',
    default: 60000,
    parse: intRange(100, 10000000),
    doc: 'Tokens (prompt + completion, summed over model calls) one question may use; then LLM_BUDGET_EXCEEDED',
  },
  {
    path: 'llm.toolResultMaxBytes',
    env: 'CLOUDPILOT_LLM_TOOL_RESULT_MAX_BYTES',
    default: 16384,
    parse: intRange(512, 1048576),
    doc: 'Largest tool result sent to the model; longer results are cut and marked truncated',
  },
  {
    path: 'llm.proposalTtlSeconds',
    env: 'CLOUDPILOT_LLM_PROPOSAL_TTL_SECONDS',
    default: 900,
    parse: intRange(30, 86400),
    doc: 'How long a proposed change may be approved before it expires',
  },
  {
    path: 'llm.redactPatterns',
    env: 'CLOUDPILOT_LLM_REDACT_PATTERNS',
    default: [],
    parse: regexList,
    doc: 'Extra regular expressions (comma-separated in the env, a list in YAML) whose matches are redacted from tool results',
  },
  {
    path: 'llm.inputPricePerMTok',
    env: 'CLOUDPILOT_LLM_INPUT_PRICE_PER_MTOK',
    default: 0,
    parse: price,
    doc: 'USD per million prompt tokens of the default provider, for the cost in /metrics and sessions',
  },
  {
    path: 'llm.outputPricePerMTok',
    env: 'CLOUDPILOT_LLM_OUTPUT_PRICE_PER_MTOK',
    default: 0,
    parse: price,
    doc: 'USD per million completion tokens of the default provider',
  },
  {
    path: 'monitor.refreshIntervalSeconds',
    env: 'CLOUDPILOT_MONITOR_REFRESH_INTERVAL_SECONDS',
    default: 30,
    parse: intRange(5, 3600),
    doc: 'Interval of the scheduled monitor tick',
  },
  {
    path: 'monitor.cacheTtlSeconds',
    env: 'CLOUDPILOT_MONITOR_CACHE_TTL_SECONDS',
    default: 60,
    parse: intRange(5, 3600),
    doc: 'Polling interval for kinds that may be listed but not watched',
  },
  {
    path: 'monitor.historySize',
    env: 'CLOUDPILOT_MONITOR_HISTORY_SIZE',
    default: 120,
    parse: intRange(1, 10000),
    doc: 'Overview samples kept per cluster (one per tick) for trends',
  },
  {
    path: 'monitor.fleetDeadlineSeconds',
    env: 'CLOUDPILOT_MONITOR_FLEET_DEADLINE_SECONDS',
    default: 5,
    parse: intRange(1, 60),
    doc: 'Longest the fleet overview waits for a cluster still on its first sync',
  },
];

/** Flags that are not config keys: they steer loading itself. */
export const CLI_ONLY_FLAGS = {
  config: 'YAML config file (or CLOUDPILOT_CONFIG)',
  help: 'Print this help and exit',
} as const;
