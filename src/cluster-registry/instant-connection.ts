import { readFileSync } from 'node:fs';
import type { AppConfig } from '../config/config.types';
import { ClusterConnection, ConnectionPolicy } from '../kubernetes/cluster-connection';
import { parseUntrustedKubeconfig } from '../kubernetes/kubeconfig-guard';
import { StartupError } from '../common/startup-error';

export interface InstantSource {
  connection: ClusterConnection;
  /** The operator chose this cluster, so loopback is fine; metadata addresses still are not. */
  policy: ConnectionPolicy;
  /** Said at start-up: which of the three sources was used. */
  description: string;
}

/**
 * Instant mode's one cluster: the pod's ServiceAccount, else K8S_API_SERVER + K8S_TOKEN, else the
 * kubeconfig's current context. A kubeconfig goes through the same guard as uploads: the
 * operator's own file is trusted more, but exec plugins still run code and rewrite the process environment.
 */
export function resolveInstantSource(config: AppConfig): InstantSource {
  const k8s = config.kubernetes;
  const policy = {
    allowLoopback: true,
    allowPlainHttpLoopback: config.clusters.allowPlainHttpLoopback,
    allowInsecureSkipTlsVerify: config.clusters.allowInsecureSkipTlsVerify,
  };
  if (k8s.inCluster)
    return {
      connection: { server: 'https://kubernetes.default.svc', auth: { type: 'inCluster' } },
      description: 'in-cluster ServiceAccount',
      policy,
    };
  if (k8s.apiServer && k8s.token) {
    const caData = k8s.caFile ? readFileSync(k8s.caFile).toString('base64') : undefined;
    return {
      connection: { server: k8s.apiServer, caData, auth: { type: 'token', token: k8s.token } },
      description: `K8S_API_SERVER ${k8s.apiServer}`,
      policy,
    };
  }
  let text: string | undefined;
  try {
    text = k8s.kubeconfig ? readFileSync(k8s.kubeconfig, 'utf8') : undefined;
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    throw new StartupError(
      'instant mode needs a cluster: run inside a pod (or set K8S_IN_CLUSTER=true), or set K8S_API_SERVER and K8S_TOKEN, ' +
        `or point KUBECONFIG at a kubeconfig file (tried ${k8s.kubeconfig ?? '~/.kube/config'})`,
    );
  }
  const [current] = parseUntrustedKubeconfig(text, policy);
  return {
    connection: current.connection,
    description: `kubeconfig ${k8s.kubeconfig} (context ${current.context})`,
    policy,
  };
}
