import { KubeConfig } from '@kubernetes/client-node';
import { ClusterConnection } from './cluster-connection';

/**
 * Builds client-node's KubeConfig from a validated connection. Only inline data is passed, so
 * client-node never reads a file, runs a plugin or touches the process environment on our behalf — except
 * for the in-cluster ServiceAccount, which is CloudPilot's own trusted identity.
 */
export function buildKubeConfig(name: string, connection: ClusterConnection): KubeConfig {
  const kc = new KubeConfig();
  if (connection.auth.type === 'inCluster') {
    kc.loadFromCluster();
    return kc;
  }
  const user =
    connection.auth.type === 'token'
      ? { name, token: connection.auth.token }
      : { name, certData: connection.auth.certData, keyData: connection.auth.keyData };
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server: connection.server,
        caData: connection.caData,
        skipTLSVerify: connection.insecureSkipTlsVerify === true,
        tlsServerName: connection.tlsServerName,
      },
    ],
    users: [user],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kc;
}

/** The API server URL of a built config (in-cluster: from the pod's environment, read by client-node). */
export function serverOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '';
}
