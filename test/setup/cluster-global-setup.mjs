// Jest globalSetup for the integration project: starts (or reuses) the test cluster once per run.
// Exports for the suites:
//   CLOUDPILOT_TEST_CLUSTER         cluster name (default "dev"; set it to use another)
//   CLOUDPILOT_TEST_KUBECONFIG_DIR  directory with admin/viewer/operator.kubeconfig (inline data)
//   CLOUDPILOT_TEST_KUBECTL         kubectl binary matching the cluster version
//   CLOUDPILOT_REPO_ROOT            repository root (for the cluster CLI)
//   CLOUDPILOT_TEST_PROMETHEUS_URL  the cluster's Prometheus (http://127.0.0.1:PORT, scrapes every 1 s)
//   CLOUDPILOT_TEST_SIMULATOR_URL   the telemetry simulator Prometheus scrapes (/metrics)
// Plain JS so Jest loads it without a transform.
import { ClusterError, bin, ensureCluster, repoRoot } from '../../scripts/cluster/lib.mjs';

export default async function clusterGlobalSetup() {
  const name = process.env.CLOUDPILOT_TEST_CLUSTER || 'dev';
  let cluster;
  try {
    cluster = await ensureCluster({ name, istio: true });
  } catch (err) {
    if (!(err instanceof ClusterError)) throw err;
    // One clear line, not a stack: the fix is an install or an env var, not a code change.
    const line = new Error(`integration tests need the test cluster: ${err.message}`);
    line.stack = line.message;
    throw line;
  }
  process.env.CLOUDPILOT_TEST_CLUSTER = name;
  process.env.CLOUDPILOT_TEST_KUBECONFIG_DIR = cluster.kubeconfigDir;
  process.env.CLOUDPILOT_TEST_KUBECTL = bin('kubectl');
  process.env.CLOUDPILOT_REPO_ROOT = repoRoot;
  process.env.CLOUDPILOT_TEST_PROMETHEUS_URL = cluster.prometheusUrl;
  process.env.CLOUDPILOT_TEST_SIMULATOR_URL = cluster.simulatorUrl;
  // globalTeardown runs in this same process and reads this to stop only what we started.
  globalThis.__cloudpilotTestCluster = { name, started: cluster.started };
}
