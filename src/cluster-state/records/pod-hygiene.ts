import { InternPool } from './intern';
import { arrayOf, K8sObject } from './object-fields';

/**
 * Container hygiene and security of a pod template (Popeye's container and pod sanitizers): what a
 * person changes in the template, so it is judged once per template — on the Deployment,
 * StatefulSet, DaemonSet, CronJob, and on Jobs, ReplicaSets and pods nobody owns — never pod by
 * pod: 100k replicas of one template are one thing to fix, and judging each would cost every
 * evaluation of a busy cluster what the template already says.
 */
export type HygieneCode =
  | 'CONTAINER_IMAGE_NOT_PINNED'
  | 'CONTAINER_NO_PROBES'
  | 'CONTAINER_NO_MEMORY_LIMIT'
  | 'CONTAINER_PRIVILEGED'
  | 'CONTAINER_RUNS_AS_ROOT'
  | 'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN';

export interface HygieneIssue {
  code: HygieneCode;
  /** The containers concerned ([] for the pod-level token issue). */
  containers: readonly string[];
  /** Per container, the value that proves it (the image reference, the runAsUser). */
  values?: readonly string[];
}

/** A template's issues; undefined when it has none (most templates of a tidy cluster). */
export type TemplateHygiene = readonly HygieneIssue[];

/**
 * `latest` or no tag at all (which pulls `latest`). A digest pins the image whatever the tag; a
 * colon in the registry host (`registry:5000/app`) is a port, not a tag.
 */
export function imageNotPinned(image: string): boolean {
  if (image.includes('@')) return false;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest';
}

const named = (c: K8sObject): string => String(c?.name ?? '');

/** Security context of a container over its pod's: the container's own field wins. */
const runAsUser = (c: K8sObject, pod: K8sObject): unknown =>
  c?.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;

function issue(
  code: HygieneCode,
  list: K8sObject[],
  value?: (c: K8sObject) => string,
): HygieneIssue[] {
  if (!list.length) return [];
  return [
    {
      code,
      containers: list.map(named),
      ...(value ? { values: list.map(value) } : {}),
    },
  ];
}

/**
 * The issues of a pod spec. `longRunning` is false for Job templates: a run to completion needs no
 * probe. Probes are asked of app containers (a native sidecar's own image decides), memory limits
 * of app containers and sidecars (CPU limits only throttle: leaving them out is a common, sound
 * choice), privileges and root of every container. Root means an explicit `runAsUser: 0`: without
 * one the image decides, which the spec does not show.
 */
export function podSpecHygiene(spec: K8sObject, longRunning: boolean): TemplateHygiene | undefined {
  const app = arrayOf(spec.containers);
  const init = arrayOf(spec.initContainers);
  const sidecars = init.filter((c) => c?.restartPolicy === 'Always');
  const every = [...init, ...app];
  const issues: HygieneIssue[] = [
    ...issue(
      'CONTAINER_IMAGE_NOT_PINNED',
      every.filter((c) => imageNotPinned(String(c?.image ?? ''))),
      (c) => String(c.image ?? ''),
    ),
    ...issue(
      'CONTAINER_NO_PROBES',
      longRunning ? app.filter((c) => !c?.readinessProbe && !c?.livenessProbe) : [],
    ),
    ...issue(
      'CONTAINER_NO_MEMORY_LIMIT',
      [...sidecars, ...app].filter((c) => !c?.resources?.limits?.memory),
    ),
    ...issue(
      'CONTAINER_PRIVILEGED',
      every.filter((c) => c?.securityContext?.privileged === true),
    ),
    ...issue(
      'CONTAINER_RUNS_AS_ROOT',
      every.filter((c) => runAsUser(c, spec) === 0),
      () => 'runAsUser: 0',
    ),
  ];
  const account = spec.serviceAccountName || spec.serviceAccount || 'default';
  // The token is mounted unless the pod or its ServiceAccount opts out: the pod's opt-out is read
  // here, the account's by the detector (ServiceAccount records keep it).
  if (account === 'default' && spec.automountServiceAccountToken !== false)
    issues.push({ code: 'POD_DEFAULT_SERVICE_ACCOUNT_TOKEN', containers: [] });
  if (!issues.length) return undefined;
  // The replicas and revisions of one template have the same issues: one frozen list for all.
  return pool.get(JSON.stringify(issues), () => Object.freeze(issues.map((i) => Object.freeze(i))));
}

const pool = new InternPool<TemplateHygiene>(10_000);

/** The template of a workload object, or a CronJob's Job template. */
export function templateHygiene(
  object: K8sObject,
  longRunning: boolean,
): TemplateHygiene | undefined {
  const template = object.spec?.jobTemplate?.spec?.template ?? object.spec?.template;
  return template?.spec ? podSpecHygiene(template.spec, longRunning) : undefined;
}
