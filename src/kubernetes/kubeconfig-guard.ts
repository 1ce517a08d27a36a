import { ClusterConnection, ConnectionPolicy } from './cluster-connection';
import { DNS_LABEL_RULE } from '../common/input-vocabulary';
import { optionalString, readCluster, readUser } from './kubeconfig-credentials';
import {
  ALL_CONTEXTS,
  Fault,
  indexKubeconfig,
  KubeconfigIndex,
  MAX_KUBECONFIG_BYTES,
  readDocument,
  referenced,
  selectContexts,
} from './kubeconfig-document';

export { ALL_CONTEXTS, MAX_KUBECONFIG_BYTES };

/** One context of an uploaded kubeconfig, checked and reduced to what CloudPilot will use. */
export interface ParsedContext {
  context: string;
  cluster: string;
  user: string;
  namespace?: string;
  connection: ClusterConnection;
}

function resolveContext(
  index: KubeconfigIndex,
  context: string,
  policy: ConnectionPolicy,
): ParsedContext {
  const [clusterName, cluster] = referenced(index, context, 'cluster');
  const [userName, user] = referenced(index, context, 'user');
  const userFault: Fault = { context, user: userName };
  const clusterFault: Fault = { context, cluster: clusterName };
  const auth = readUser(user, userFault);
  const connection = { ...readCluster(cluster, policy, clusterFault), auth };
  const namespace = optionalString(
    index.contexts.get(context)!,
    'namespace',
    { context, field: 'namespace' },
    DNS_LABEL_RULE.pattern,
  );
  return {
    context,
    cluster: clusterName,
    user: userName,
    ...(namespace !== undefined && { namespace }),
    connection,
  };
}

/**
 * Reads an attacker-controlled kubeconfig into connections CloudPilot can store, or refuses it
 * whole with a 400 naming the context, cluster or user at fault (never a credential).
 *
 * `contextName`: omitted or empty → the current-context; a name → that context; `'*'`
 * ({@link ALL_CONTEXTS}) → every context, for importing several clusters at once. Only the
 * contexts being imported, and the clusters and users they name, are checked: an unused exec user
 * elsewhere in a personal kubeconfig does not block importing a token context.
 *
 * Refusals: `KUBECONFIG_INVALID` (not YAML of kind Config, over {@link MAX_KUBECONFIG_BYTES},
 * alias bomb, duplicate names, wrong field types, data that is not base64 of a usable PEM block,
 * certificate without key or not matching it, token and certificate both set),
 * `KUBECONFIG_CONTEXT_NOT_FOUND`, `KUBECONFIG_EXEC_FORBIDDEN`, `KUBECONFIG_AUTH_PROVIDER_FORBIDDEN`,
 * `KUBECONFIG_FILE_REFERENCE_FORBIDDEN` (tokenFile, client-certificate, client-key,
 * certificate-authority), `KUBECONFIG_BASIC_AUTH_FORBIDDEN`, `KUBECONFIG_IMPERSONATION_FORBIDDEN`,
 * `KUBECONFIG_PROXY_FORBIDDEN`, `KUBECONFIG_INSECURE_TLS_FORBIDDEN`, `KUBECONFIG_NO_CREDENTIALS`,
 * and the `CLUSTER_URL_*` codes of assertSafeServerUrl (server-url-guard.ts) for the server.
 *
 * Build clients only from the returned `connection`, never from the uploaded text.
 * @see https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/
 */
export function parseUntrustedKubeconfig(
  text: string,
  policy: ConnectionPolicy,
  contextName?: string,
): ParsedContext[] {
  const index = indexKubeconfig(readDocument(text));
  return selectContexts(index, contextName).map((context) =>
    resolveContext(index, context, policy),
  );
}
