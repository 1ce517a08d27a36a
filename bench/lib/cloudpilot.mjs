// Loads CloudPilot's compiled adapter and Monitor from dist/ (run `npm run build` first) and builds
// a KubeClient for the bench cluster exactly as test/integration/list-watch.int-spec.ts does.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { kubeconfigPath, repoRoot } from './kube.mjs';

const require = createRequire(import.meta.url);

export function dist(module) {
  const file = join(repoRoot, 'dist', `${module}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return require(file);
}

/** `agents`: a SharedAgents, as the Monitor's client pool passes (absent: the client's own agent). */
export function benchClient(clusterId = 'bench', timeoutMs = 60_000, agents = undefined) {
  const { KubeClient } = dist('kubernetes/kube-client');
  const { buildKubeConfig } = dist('kubernetes/kubeconfig-builder');
  const { parseUntrustedKubeconfig } = dist('kubernetes/kubeconfig-guard');
  const text = readFileSync(kubeconfigPath(), 'utf8');
  const [ctx] = parseUntrustedKubeconfig(text, {
    allowLoopback: true,
    allowPlainHttpLoopback: false,
    allowInsecureSkipTlsVerify: false,
  });
  const kc = buildKubeConfig(clusterId, ctx.connection);
  return new KubeClient(clusterId, kc, timeoutMs, undefined, agents);
}

/** Full GCs until the heap stops shrinking, then the process's memory in bytes. */
export async function settledMemory() {
  if (typeof globalThis.gc !== 'function') throw new Error('run node with --expose-gc');
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

/**
 * The Monitor's built-in cached kinds as the benchmarks read them: status key, collection path,
 * metadata-only, transform and aggregate feed (optional CRD kinds are left out, as on a cluster
 * without Istio).
 */
export function builtInCachedKinds() {
  const { CACHED_KINDS } = dist('monitor/cached-kinds');
  const { kindOf, collectionPath } = dist('kubernetes/kinds');
  return CACHED_KINDS.filter((spec) => !spec.optional).map((spec) => {
    const descriptor = kindOf(spec.kind);
    return {
      key: spec.name,
      path: collectionPath(descriptor, descriptor.versions[0]),
      metadataOnly: Boolean(spec.metadataOnly),
      transform: spec.transform,
      feed: spec.feed ?? (() => undefined),
    };
  });
}

/** The path resolver a bench ClusterCache uses: built-in kinds only. */
export function builtInPaths() {
  const paths = new Map(builtInCachedKinds().map((k) => [k.key, k.path]));
  return async (spec) => paths.get(spec.name) ?? null;
}
