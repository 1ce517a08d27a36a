import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN, bearer, startTestApp, TestApp } from '../../e2e/support/test-app';

export { ADMIN_TOKEN, bearer };
export type { TestApp };

export type KubeconfigRole = 'admin' | 'viewer' | 'operator';

/** The test cluster's kubeconfig for a role, as text (set by the integration global set-up). */
export function kubeconfigText(
  role: KubeconfigRole,
  dir = process.env.CLOUDPILOT_TEST_KUBECONFIG_DIR,
): string {
  if (!dir)
    throw new Error(
      'CLOUDPILOT_TEST_KUBECONFIG_DIR is not set: run through the Jest integration project',
    );
  return readFileSync(join(dir, `${role}.kubeconfig`), 'utf8');
}

export function newEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * CloudPilot in server mode, allowed to reach the loopback test cluster (never allowed by default).
 */
export function startServer(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    env: {
      CLOUDPILOT_ALLOW_LOOPBACK_CLUSTERS: 'true',
      CLOUDPILOT_ENCRYPTION_KEY: newEncryptionKey(),
      ...env,
    },
  });
}

/** Registers a cluster from a role's kubeconfig and returns its response body. */
export async function register(
  t: TestApp,
  name: string,
  role: KubeconfigRole = 'admin',
  query = '',
): Promise<Record<string, any>> {
  const res = await t
    .http()
    .post(`/api/v1/clusters${query}`)
    .set(bearer(ADMIN_TOKEN))
    .send({ name, kubeconfig: kubeconfigText(role) });
  if (res.status !== 201)
    throw new Error(`register ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
