import { AppError } from '../common/app-error';
import type { ConnectionPolicy } from '../kubernetes/cluster-connection';
import { assertSafeServerUrl, formatServerUrl } from '../kubernetes/server-url-guard';
import type {
  InClusterTelemetrySourceDto,
  TelemetrySourceInput,
  UrlTelemetrySourceDto,
} from './telemetry.dto';
import type { PrometheusAuth, TelemetrySource } from './telemetry-source';

/** Every field of either variant: input from the config, or a body, may carry another variant's. */
type SourceFields = Pick<TelemetrySourceInput, 'type'> &
  Partial<Omit<UrlTelemetrySourceDto, 'type'> & Omit<InClusterTelemetrySourceDto, 'type'>>;

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field, errors: [message] },
  ]);
}

function authOf(input: SourceFields): PrometheusAuth {
  const basic = input.username !== undefined || input.password !== undefined;
  if (input.bearerToken && basic)
    throw invalid('bearerToken', 'give either bearerToken or username + password, not both');
  if (input.bearerToken) return { type: 'bearer', token: input.bearerToken };
  if (!basic) return { type: 'none' };
  if (!input.username || !input.password)
    throw invalid('username', 'username and password go together');
  return { type: 'basic', username: input.username, password: input.password };
}

const URL_ONLY = ['bearerToken', 'username', 'password', 'caData', 'tlsServerName'] as const;
const IN_CLUSTER_ONLY = ['namespace', 'service', 'port'] as const;

function refuseFields(input: SourceFields, fields: readonly string[], type: string) {
  const given = fields.find((f) => input[f as keyof SourceFields] !== undefined);
  if (given) throw invalid(given, `${given} does not apply to type ${type}`);
}

/**
 * The untrusted source of a request as a checked TelemetrySource: a URL passes the same guards
 * as a cluster URL (and its DNS answers are checked again at every connect).
 */
export function sourceFromInput(input: SourceFields, policy: ConnectionPolicy): TelemetrySource {
  if (input.type === 'inCluster') {
    refuseFields(input, [...URL_ONLY, 'url'], 'inCluster');
    if (!input.service && (input.namespace || input.port))
      throw invalid('service', 'namespace and port name a Service: give service too');
    if (input.service && !input.namespace)
      throw invalid('namespace', 'a named Service needs its namespace');
    return input.service
      ? {
          type: 'inCluster',
          service: { namespace: input.namespace!, name: input.service, port: input.port },
        }
      : { type: 'inCluster' };
  }
  refuseFields(input, IN_CLUSTER_ONLY, 'url');
  if (!input.url) throw invalid('url', 'type url needs url');
  const url = formatServerUrl(assertSafeServerUrl(input.url, policy));
  return {
    type: 'url',
    url,
    auth: authOf(input),
    ...(input.caData ? { caData: input.caData.replace(/\s+/g, '') } : {}),
    ...(input.tlsServerName ? { tlsServerName: input.tlsServerName } : {}),
  };
}

/** Instant mode's source from its config keys (already parsed); undefined when not configured. */
export function sourceFromConfig(
  config: { prometheusUrl?: string; bearerToken?: string; basicAuth?: string; caData?: string },
  policy: ConnectionPolicy,
): TelemetrySource | undefined {
  if (!config.prometheusUrl) return undefined;
  if (config.prometheusUrl === 'in-cluster') return { type: 'inCluster' };
  const [username, ...rest] = config.basicAuth?.split(':') ?? [];
  return sourceFromInput(
    {
      type: 'url',
      url: config.prometheusUrl,
      bearerToken: config.bearerToken,
      ...(config.basicAuth ? { username, password: rest.join(':') } : {}),
      caData: config.caData,
    },
    policy,
  );
}
