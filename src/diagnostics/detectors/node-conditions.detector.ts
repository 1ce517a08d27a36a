import type { NodeCondition, NodeRecord } from '../../cluster-state/records/node';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/** Reported by nodes.detector.ts (NODE_NOT_READY, NODE_PRESSURE). */
const COVERED = new Set(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);

/** Known problem conditions and what to do about each; any other True condition is reported as is. */
const ADVICE: Record<string, string> = {
  NetworkUnavailable:
    'The node\u2019s pod network is not configured: check the CNI plugin\u2019s pod on this node (its logs) and the cloud routes for its pod CIDR.',
  KernelDeadlock:
    'A kernel task is blocked (node-problem-detector): drain the node and reboot it; look at dmesg for the hung task.',
  ReadonlyFilesystem:
    'The root filesystem was remounted read-only (disk errors): drain the node and replace it or repair its disk.',
  FrequentKubeletRestart:
    'The kubelet keeps restarting: read journalctl -u kubelet on the node for the crash.',
  FrequentContainerdRestart:
    'containerd keeps restarting: read journalctl -u containerd on the node.',
  FrequentDockerRestart: 'The container runtime keeps restarting: read its journal on the node.',
  CorruptDockerOverlay2:
    'The overlay2 storage of the runtime is corrupt: drain the node and replace it.',
};

const ref = (n: NodeRecord) => ({ group: '', kind: 'Node', namespace: '', name: n.name });

/**
 * Every other node condition whose status is True: for NetworkUnavailable and the conditions
 * node-problem-detector adds (KernelDeadlock, ReadonlyFilesystem, Frequent*Restart, …) True is the
 * problem, False the healthy state. Unknown says nothing (the reporter may be gone) and stays silent.
 */
export function nodeConditions(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const n of input.list('nodes'))
    for (const c of n.conditions)
      if (!COVERED.has(c.type) && c.status === 'True') findings.push(finding(n, c));
  return findings;
}

function finding(n: NodeRecord, c: NodeCondition): RawFinding {
  const at = `status.conditions[type=${c.type}]`;
  return {
    code: 'NODE_CONDITION',
    severity: 'warning',
    object: ref(n),
    message: `The node reports ${c.type}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}.`,
    fields: {
      condition: c.type,
      [`${at}.status`]: c.status,
      [`${at}.reason`]: c.reason,
      [`${at}.message`]: c.message,
      [`${at}.lastTransitionTime`]: c.lastTransitionTime,
    },
    suggestion:
      ADVICE[c.type] ??
      `Look up what reports ${c.type} (node-problem-detector or a vendor agent) and fix it on the node; drain the node if its pods suffer meanwhile.`,
  };
}
