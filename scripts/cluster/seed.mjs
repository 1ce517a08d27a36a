// Applies test/fixtures/*.yaml to a running cluster and waits until every sample workload has
// reached the state it is there to show (healthy ones Ready, broken ones broken), so tests and
// the demo start from a known picture.
import fs from 'node:fs';
import path from 'node:path';
import { ClusterError, FAULT_LABEL, isClusterReady, kubectl, repoRoot } from './lib.mjs';

export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

function hasIstioCrds(name) {
  return (
    kubectl(name, 'admin', ['get', 'crd', 'gateways.networking.istio.io'], { allowFail: true }) !==
    null
  );
}

function wait(name, args) {
  kubectl(name, 'admin', ['wait', '--timeout=120s', ...args], { timeoutMs: 150_000 });
}

const faultChecks = [
  [
    'pod',
    '-l',
    'app=checkout',
    '--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=CrashLoopBackOff',
  ],
  [
    'pod/image-pull',
    '--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ImagePullBackOff',
  ],
  [
    'pod/oom-killed',
    '--for=jsonpath={.status.containerStatuses[0].state.terminated.reason}=OOMKilled',
  ],
  ['pod/failed', '--for=jsonpath={.status.phase}=Failed'],
  [
    'pod/init-crash',
    '--for=jsonpath={.status.initContainerStatuses[0].state.waiting.reason}=CrashLoopBackOff',
  ],
  [
    'pod/sidecar-crash',
    '--for=jsonpath={.status.initContainerStatuses[0].state.waiting.reason}=CrashLoopBackOff',
  ],
  ['pod/liveness-restarts', '--for=jsonpath={.status.containerStatuses[0].restartCount}=6'],
  ['pod/evicted', '--for=jsonpath={.status.reason}=Evicted'],
  [
    'pod/unschedulable',
    '--for=jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}=Unschedulable',
  ],
];

// What a kubelet would record for each fault; kwok-controller records no events of its own.
const kubeletEvents = {
  CrashLoopBackOff: (c) => [
    ['Warning', 'BackOff', `Back-off restarting failed container ${c.name}`],
  ],
  ImagePullBackOff: (c) => [
    ['Warning', 'Failed', `Failed to pull image "${c.image}": not found`],
    ['Normal', 'BackOff', `Back-off pulling image "${c.image}"`],
  ],
  OOMKilled: () => [
    ['Warning', 'OOMKilling', 'Memory cgroup out of memory: killed process 4242 (app)'],
  ],
  Failed: (c) => [['Warning', 'Failed', `Error: container ${c.name} exited with code 1`]],
  InitCrashLoop: (c, pod) => [
    [
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${pod.spec.initContainers[0].name}`,
    ],
  ],
  SidecarCrashLoop: (c, pod) => [
    [
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${pod.spec.initContainers[0].name}`,
    ],
  ],
  RestartsClimbing: (c) => [
    ['Warning', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 503'],
    ['Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`],
  ],
  Evicted: () => [['Warning', 'Evicted', 'The node was low on resource: memory.']],
};

/** Records kubelet-style events for the labelled fault pods in `namespace` (idempotent). */
function recordKubeletEvents(name, namespace) {
  const pods = JSON.parse(
    kubectl(name, 'admin', ['get', 'pods', '-n', namespace, '-l', FAULT_LABEL, '-o', 'json']),
  ).items;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const items = pods.flatMap((pod) => {
    const container = pod.spec.containers[0];
    return kubeletEvents[pod.metadata.labels[FAULT_LABEL]](container, pod).map(
      ([type, reason, message]) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod.metadata.name}.${reason.toLowerCase()}`, namespace },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace,
          name: pod.metadata.name,
          uid: pod.metadata.uid,
          fieldPath: `spec.containers{${container.name}}`,
        },
        type,
        reason,
        message,
        source: { component: 'kubelet', host: pod.spec.nodeName },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      }),
    );
  });
  kubectl(name, 'admin', ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  });
}

export async function seedCluster(
  name,
  { log = (m) => process.stderr.write(`[seed] ${m}\n`) } = {},
) {
  if (!isClusterReady(name))
    throw new ClusterError(
      `cluster "${name}" is not up: run \`npm run cluster:up -- --name ${name}\``,
    );
  const istio = hasIstioCrds(name);
  const files = fs
    .readdirSync(fixturesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  for (const file of files) {
    if (file.includes('istio') && !istio) {
      log(`skipping ${file}: the cluster runs without Istio CRDs`);
      continue;
    }
    const text = fs
      .readFileSync(path.join(fixturesDir, file), 'utf8')
      .replaceAll('@FIXTURES@', fixturesDir);
    kubectl(name, 'admin', ['apply', '-f', '-'], { input: text });
    log(`applied ${file}`);
  }
  wait(name, ['-n', 'shop', '--for=condition=Available', 'deployment', '--all']);
  wait(name, ['-n', 'payments', '--for=condition=Available', 'deployment', '--all']);
  wait(name, [
    '-n',
    'payments',
    '--for=jsonpath={.status.readyReplicas}=2',
    'statefulset/postgres',
  ]);
  kubectl(
    name,
    'admin',
    ['-n', 'platform', 'rollout', 'status', 'daemonset/log-agent', '--timeout=120s'],
    { timeoutMs: 150_000 },
  );
  for (const check of faultChecks) wait(name, ['-n', 'faults', ...check]);
  recordKubeletEvents(name, 'faults');
  wait(name, ['-n', 'broken', '--for=condition=Failed', 'job/nightly-export']);
  wait(name, ['-n', 'broken', '--for=jsonpath={.status.phase}=Running', 'pod/stuck-warmup']);
  log(
    `cluster "${name}" seeded: shop, payments, platform healthy; faults and broken broken as designed`,
  );
}
