// Jest globalTeardown: stops the test cluster only if this run's globalSetup started it.
// CLOUDPILOT_KEEP_CLUSTER=1 keeps it running for the next run (warm start).
import { stopCluster } from '../../scripts/cluster/lib.mjs';

export default async function clusterGlobalTeardown() {
  const cluster = globalThis.__cloudpilotTestCluster;
  if (!cluster?.started || process.env.CLOUDPILOT_KEEP_CLUSTER === '1') return;
  await stopCluster(cluster.name);
}
