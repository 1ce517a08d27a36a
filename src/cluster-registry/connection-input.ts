import { AppError } from '../common/app-error';
import { ClusterConnection, ConnectionPolicy } from '../kubernetes/cluster-connection';
import { parseUntrustedKubeconfig } from '../kubernetes/kubeconfig-guard';
import { assertSafeServerUrl, formatServerUrl } from '../kubernetes/server-url-guard';
import { ClusterCredentialsDto } from './cluster.dto';

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field, errors: [message] },
  ]);
}

function fromCredentials(
  credentials: ClusterCredentialsDto,
  policy: ConnectionPolicy,
): ClusterConnection {
  // Store exactly the URL that was checked, in the normalised form client-node appends paths to.
  const server = formatServerUrl(assertSafeServerUrl(credentials.server, policy));
  const base = { server, caData: credentials.caData, tlsServerName: credentials.tlsServerName };
  const hasCert = Boolean(credentials.clientCertificateData || credentials.clientKeyData);
  if (credentials.token && hasCert)
    throw invalid(
      'credentials',
      'give either token or clientCertificateData + clientKeyData, not both',
    );
  if (credentials.token) return { ...base, auth: { type: 'token', token: credentials.token } };
  if (credentials.clientCertificateData && credentials.clientKeyData) {
    return {
      ...base,
      auth: {
        type: 'clientCertificate',
        certData: credentials.clientCertificateData,
        keyData: credentials.clientKeyData,
      },
    };
  }
  throw invalid(
    'credentials',
    hasCert
      ? 'clientCertificateData and clientKeyData go together'
      : 'a token or a client certificate is required',
  );
}

/**
 * Turns the untrusted connection part of a request (kubeconfig + context, or fields) into a
 * validated ClusterConnection; every hostile input is refused with its own 400 code.
 */
export function connectionFromInput(
  input: { kubeconfig?: string; context?: string; credentials?: ClusterCredentialsDto },
  policy: ConnectionPolicy,
): ClusterConnection {
  if (input.kubeconfig && input.credentials)
    throw invalid('kubeconfig', 'give either kubeconfig or credentials, not both');
  if (input.kubeconfig)
    return parseUntrustedKubeconfig(input.kubeconfig, policy, input.context)[0].connection;
  if (input.credentials) return fromCredentials(input.credentials, policy);
  throw invalid('kubeconfig', 'a kubeconfig or credentials are required');
}
