import type { KubeClient } from './kube-client';

/** What a cluster's API server publishes as the OIDC issuer of its ServiceAccount tokens. */
export interface ServiceAccountIssuerKeys {
  issuer: string;
  jwks: { keys: Array<Record<string, unknown>> };
}

/**
 * The cluster's ServiceAccount issuer and its signing keys, read through its own API server (so
 * with the registered credential and CA, whatever address the discovery document advertises).
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#service-account-issuer-discovery
 */
export async function readServiceAccountIssuer(
  client: KubeClient,
): Promise<ServiceAccountIssuerKeys> {
  const discovery = await client.request<{ issuer?: unknown }>({
    path: '/.well-known/openid-configuration',
  });
  // The API server serves the key set as application/jwk-set+json and refuses a plain JSON Accept.
  const jwks = await client.request<{ keys?: unknown }>({
    path: '/openid/v1/jwks',
    accept: 'application/jwk-set+json, application/json',
  });
  if (typeof discovery?.issuer !== 'string' || !Array.isArray(jwks?.keys))
    throw new Error('the cluster publishes no ServiceAccount issuer discovery');
  return { issuer: discovery.issuer, jwks: { keys: jwks.keys as Array<Record<string, unknown>> } };
}
