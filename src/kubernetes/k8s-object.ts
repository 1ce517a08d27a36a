/**
 * A Kubernetes object as the API server sends it (JSON), before any view or slimming. The one raw
 * object type: features narrow it (slim records, views, Istio bodies), they do not redefine it.
 */
export type K8sObject = Record<string, any> & { metadata?: Record<string, any> };
