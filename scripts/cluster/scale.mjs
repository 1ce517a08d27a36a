// Scale helpers for benchmarks: many fake nodes and many pods, quickly.
// Pods are either created by a Deployment (exercises controller-manager and scheduler, the
// realistic path) or directly with spec.nodeName set (skips both: fastest way to fill a cluster).
import { kubectl } from './lib.mjs';
import { nodeManifest } from './manifests.mjs';

const CHUNK = 500;

function applyInChunks(name, items) {
  for (let i = 0; i < items.length; i += CHUNK) {
    const list = { apiVersion: 'v1', kind: 'List', items: items.slice(i, i + CHUNK) };
    kubectl(name, 'admin', ['create', '-f', '-', '-o', 'name'], {
      input: JSON.stringify(list),
      timeoutMs: 600_000,
    });
  }
}

/**
 * Makes cluster `name` have at least `count` fake nodes called `<prefix>-<i>`, all Ready.
 * @returns {string[]} the node names
 */
export function scaleNodes(name, count, { prefix = 'kwok-node' } = {}) {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  // Server-side apply: idempotent like apply, without apply's GET before every object.
  kubectl(name, 'admin', ['apply', '--server-side', '-f', '-'], {
    input: nodeManifest(names),
    timeoutMs: 600_000,
  });
  // One list per second instead of `kubectl wait`, which checks nodes one by one (~0.1 s each).
  const readyPath = '{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}';
  pollUntil(`${count} Ready nodes`, 300, () => {
    const out = kubectl(name, 'admin', [
      'get',
      'nodes',
      '-l',
      'type=kwok',
      '-o',
      `jsonpath=${readyPath}`,
    ]);
    return out.split('\n').filter((l) => l === 'True').length >= count;
  });
  return names;
}

function pollUntil(what, timeoutSeconds, check) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutSeconds}s waiting for ${what}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
}

/**
 * Creates `count` pods in `namespace` and waits until they are Running.
 * mode 'deployment': one Deployment `bench` with `count` replicas (controller-manager + scheduler).
 * mode 'direct': bare pods bound round-robin to the Ready fake nodes (no controllers involved).
 */
export function scalePods(
  name,
  { namespace = 'bench', count, mode = 'deployment', timeoutSeconds = 600 },
) {
  kubectl(name, 'admin', ['create', 'namespace', namespace], { allowFail: true });
  const labels = { app: 'bench' };
  const container = {
    name: 'app',
    image: 'registry.example/bench:1',
    resources: { requests: { cpu: '1m', memory: '1Mi' } },
  };
  if (mode === 'deployment') {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bench', namespace },
      spec: {
        replicas: count,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
    };
    kubectl(name, 'admin', ['apply', '-f', '-'], { input: JSON.stringify(deployment) });
  } else if (mode === 'direct') {
    const nodes = kubectl(name, 'admin', [
      'get',
      'nodes',
      '-l',
      'type=kwok',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ])
      .split(' ')
      .filter(Boolean);
    if (!nodes.length) throw new Error(`cluster "${name}" has no fake nodes`);
    const pods = Array.from({ length: count }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `bench-${i}`, namespace, labels },
      spec: { nodeName: nodes[i % nodes.length], containers: [container] },
    }));
    applyInChunks(name, pods);
  } else {
    throw new Error(`unknown mode "${mode}" (deployment | direct)`);
  }
  waitRunning(name, namespace, count, timeoutSeconds);
}

function waitRunning(name, namespace, count, timeoutSeconds) {
  const args = [
    'get',
    'pods',
    '-n',
    namespace,
    '-l',
    'app=bench',
    '--field-selector=status.phase=Running',
    '-o',
    'name',
  ];
  pollUntil(`${count} Running pods in ${namespace}`, timeoutSeconds, () => {
    return kubectl(name, 'admin', args).split('\n').filter(Boolean).length >= count;
  });
}
