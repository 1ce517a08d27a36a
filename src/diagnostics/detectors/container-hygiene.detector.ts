import type {
  HygieneCode,
  HygieneIssue,
  TemplateHygiene,
} from '../../cluster-state/records/pod-hygiene';
import { ObjectRef, podRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/** The hygiene codes (info, on by default, each switchable: diagnostics.disabledCodes). */
export const HYGIENE_CODES: readonly HygieneCode[] = [
  'CONTAINER_IMAGE_NOT_PINNED',
  'CONTAINER_NO_PROBES',
  'CONTAINER_NO_MEMORY_LIMIT',
  'CONTAINER_PRIVILEGED',
  'CONTAINER_RUNS_AS_ROOT',
  'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN',
];

const ADVICE: Record<HygieneCode, { what: string; suggestion: string }> = {
  CONTAINER_IMAGE_NOT_PINNED: {
    what: 'run an image tagged latest or not tagged at all (which pulls latest)',
    suggestion:
      'Pin each image to a version tag or a digest (image@sha256:…): a restart must run what was tested, and a rollback must be possible.',
  },
  CONTAINER_NO_PROBES: {
    what: 'have neither a readiness nor a liveness probe',
    suggestion:
      'Add a readinessProbe (traffic only when ready) and, for processes that can hang, a livenessProbe.',
  },
  CONTAINER_NO_MEMORY_LIMIT: {
    what: 'have no memory limit',
    suggestion:
      'Set resources.limits.memory: a leaking container is then OOM-killed alone instead of pushing the node into memory pressure.',
  },
  CONTAINER_PRIVILEGED: {
    what: 'run privileged (full access to the node)',
    suggestion:
      'Drop securityContext.privileged and grant only the capabilities needed (securityContext.capabilities.add).',
  },
  CONTAINER_RUNS_AS_ROOT: {
    what: 'run as root (runAsUser: 0)',
    suggestion:
      'Run as an unprivileged user (securityContext.runAsUser > 0, runAsNonRoot: true) with an image built for it.',
  },
  POD_DEFAULT_SERVICE_ACCOUNT_TOKEN: {
    what: '',
    suggestion:
      'Set automountServiceAccountToken: false on the pod template (or on the namespace\u2019s default ServiceAccount), or give the pods a ServiceAccount of their own with only the rights they need.',
  },
};

/**
 * Whether the default ServiceAccount's token reaches the pods: not when the account opts out, and
 * not known when ServiceAccounts are not cached (then nothing is said).
 */
function tokenMounted(input: DetectorInput, namespace: string): boolean {
  if (!input.caches('serviceaccounts')) return false;
  return input.get('serviceaccounts', 'default', namespace)?.automountToken !== false;
}

function finding(object: ObjectRef, issue: HygieneIssue, path: string): RawFinding {
  const advice = ADVICE[issue.code];
  const token = issue.code === 'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN';
  const containers = issue.containers.join(', ');
  return {
    code: issue.code,
    severity: 'info',
    object,
    message: token
      ? 'The pods run as the default ServiceAccount with its API token mounted: any process in them can call the API server with whatever that account is granted.'
      : `Container${issue.containers.length === 1 ? '' : 's'} ${containers} ${advice.what}.`,
    fields: token
      ? {
          [`${path}.serviceAccountName`]: 'default',
          [`${path}.automountServiceAccountToken`]: 'unset',
        }
      : {
          containers: issue.containers,
          ...(issue.values ? { values: issue.values } : {}),
        },
    suggestion: advice.suggestion,
  };
}

function findings(
  input: DetectorInput,
  object: ObjectRef,
  hygiene: TemplateHygiene | undefined,
  path: string,
): RawFinding[] {
  if (!hygiene) return [];
  const found: RawFinding[] = [];
  for (const issue of hygiene)
    if (issue.code !== 'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN' || tokenMounted(input, object.namespace))
      found.push(finding(object, issue, path));
  return found;
}

const TEMPLATE = 'spec.template.spec';

/** Container hygiene of the workloads nobody owns: Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs. */
export function workloadHygiene(input: DetectorInput): RawFinding[] {
  const found: RawFinding[] = [];
  const kinds = [
    ['deployments', 'apps', 'Deployment'],
    ['statefulsets', 'apps', 'StatefulSet'],
    ['daemonsets', 'apps', 'DaemonSet'],
    ['replicasets', 'apps', 'ReplicaSet'],
    ['jobs', 'batch', 'Job'],
  ] as const;
  for (const [list, group, kind] of kinds)
    for (const w of input.list(list)) {
      if (!w.hygiene) continue;
      const ref = { group, kind, namespace: w.namespace, name: w.name };
      found.push(...findings(input, ref, w.hygiene, TEMPLATE));
    }
  for (const c of input.list('cronjobs')) {
    if (!c.hygiene) continue;
    const ref = { group: 'batch', kind: 'CronJob', namespace: c.namespace, name: c.name };
    found.push(...findings(input, ref, c.hygiene, 'spec.jobTemplate.spec.template.spec'));
  }
  return found;
}

/** Container hygiene of pods nothing owns (an owned pod's template is judged on its owner). */
export function podHygiene(input: DetectorInput): RawFinding[] {
  const found: RawFinding[] = [];
  for (const pod of input.list('pods')) {
    if (!pod.hygiene || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    found.push(...findings(input, podRef(pod.namespace, pod.name), pod.hygiene, 'spec'));
  }
  return found;
}
