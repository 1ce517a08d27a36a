import type { K8sObject } from './k8s-object';
import type { KubeClient } from './kube-client';
import { collectionPath, kindOf, objectPath } from './kinds';

/** A Service and the port (name or number) its proxy reaches. */
export interface ProxiedService {
  namespace: string;
  name: string;
  port: string;
}

/** A name to look for, in one namespace or (absent) in all. */
export interface ServiceCandidate {
  namespace?: string;
  name: string;
}

interface ServicePort {
  name?: string;
  port?: number;
}

const SERVICES = kindOf('services');

/** The port an HTTP API most likely listens on: named web or http, else 9090, else the first. */
function apiPort(ports: ServicePort[]): string | undefined {
  const named = ports.find((p) => p.name === 'web' || p.name === 'http');
  const chosen = named ?? ports.find((p) => p.port === 9090) ?? ports[0];
  if (!chosen) return undefined;
  return chosen.name || String(chosen.port);
}

/**
 * The first candidate Service that exists, in the candidates' order, with its API port.
 * Candidates without a namespace are looked up in every namespace (one LIST by field selector).
 */
export async function findService(
  client: KubeClient,
  candidates: readonly ServiceCandidate[],
  timeoutMs: number,
): Promise<ProxiedService | undefined> {
  for (const candidate of candidates) {
    const page = await client.request<{ items?: K8sObject[] }>({
      path: collectionPath(SERVICES, 'v1', candidate.namespace),
      query: { fieldSelector: `metadata.name=${candidate.name}`, limit: 5 },
      timeoutMs,
    });
    for (const item of page.items ?? []) {
      const port = apiPort((item.spec?.ports ?? []) as ServicePort[]);
      if (port && item.metadata?.namespace)
        return { namespace: item.metadata.namespace, name: candidate.name, port };
    }
  }
  return undefined;
}

/**
 * A GET through the API server's service proxy (`services/<name>:<port>/proxy/<path>`), with the
 * cluster's own credentials, deadline and error mapping: the API server, not CloudPilot, dials the
 * Service, so no address of the cluster's network is ever connected to from here.
 * https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster-services/#manually-constructing-apiserver-proxy-urls
 */
export function serviceProxyGet(
  client: KubeClient,
  service: ProxiedService,
  path: string,
  query: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  const target = `${objectPath(SERVICES, 'v1', service.name, service.namespace)}:${encodeURIComponent(service.port)}`;
  return client.requestText({ path: `${target}/proxy${path}`, query, timeoutMs, signal });
}
