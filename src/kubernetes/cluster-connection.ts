/**
 * How CloudPilot reaches one cluster, after validation. Only inline data: never file paths, exec
 * plugins or auth providers, because a stored connection may come from an untrusted upload.
 * Certificates and keys are PEM text encoded in base64, as in a kubeconfig's `*-data` fields.
 */
export type ClusterAuth =
  | { type: 'token'; token: string }
  | { type: 'clientCertificate'; certData: string; keyData: string }
  | { type: 'inCluster' };

export interface ClusterConnection {
  /** https URL of the API server (http only where policy allows it for loopback). */
  server: string;
  caData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  auth: ClusterAuth;
}

/** Operator-configured exceptions to the defaults, which refuse them all. */
export interface ConnectionPolicy {
  allowLoopback: boolean;
  allowPlainHttpLoopback: boolean;
  allowInsecureSkipTlsVerify: boolean;
}
