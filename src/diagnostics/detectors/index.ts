import { POD_TEMPLATE_KINDS } from '../../monitor/cluster-snapshot';
import { containerRequests } from './container-requests.detector';
import { defaultClasses } from './default-classes.detector';
import { podHygiene, workloadHygiene } from './container-hygiene.detector';
import { cronJobSchedules } from './cronjob-schedule.detector';
import { Detector } from './detector';
import { hpas } from './hpa.detector';
import { ingressClasses } from './ingress-class.detector';
import { ingresses } from './ingress.detector';
import { istio } from './istio.detector';
import { jobs } from './jobs.detector';
import { metricsApis } from './metrics-apis.detector';
import { networkPolicies } from './network-policy.detector';
import { nodeOvercommit } from './node-overcommit.detector';
import { nodeConditions } from './node-conditions.detector';
import { nodeTaints } from './node-taints.detector';
import { nodes } from './nodes.detector';
import { pdbs } from './pdb.detector';
import { podConfigError } from './pod-config-error.detector';
import { podCrashLoop } from './pod-crash-loop.detector';
import { podFailed } from './pod-failed.detector';
import { podImagePull } from './pod-image-pull.detector';
import { podNotReady } from './pod-not-ready.detector';
import { podOomKilled } from './pod-oom-killed.detector';
import { podReferences } from './pod-references.detector';
import { podRestarting } from './pod-restarting.detector';
import { priorityClasses } from './priority-class.detector';
import { podUnschedulable } from './pod-unschedulable.detector';
import { pvcPending } from './pvc-pending.detector';
import { rbacBindings } from './rbac-bindings.detector';
import { services } from './service.detector';
import { statefulSetReferences } from './statefulset-references.detector';
import { claimsLost, volumePhases } from './storage-phases.detector';
import { unusedObjects } from './unused-objects.detector';
import { webhooks } from './webhooks.detector';
import { workloadAvailability } from './workload-availability.detector';

/** The kinds whose pod templates container hygiene judges (see pod-hygiene.ts). */
const WORKLOADS = [...POD_TEMPLATE_KINDS];

/**
 * Every detector, in the order their findings are listed for one object: its name, the kinds it
 * reads (`needs`), those it judges item by item (`over`, see Detector), and the plain function
 * that finds.
 */
export const DETECTORS: readonly Detector[] = [
  { name: 'pod-crash-loop', needs: ['pods'], over: ['pods'], detect: podCrashLoop },
  { name: 'pod-image-pull', needs: ['pods'], over: ['pods'], detect: podImagePull },
  { name: 'pod-oom-killed', needs: ['pods'], over: ['pods'], detect: podOomKilled },
  { name: 'pod-config-error', needs: ['pods'], over: ['pods'], detect: podConfigError },
  { name: 'pod-unschedulable', needs: ['pods'], over: ['pods'], detect: podUnschedulable },
  { name: 'pod-not-ready', needs: ['pods'], over: ['pods'], detect: podNotReady },
  { name: 'pod-failed', needs: ['pods'], over: ['pods'], detect: podFailed },
  { name: 'pod-references', needs: ['pods'], over: ['pods'], detect: podReferences },
  { name: 'container-requests', needs: ['pods'], over: ['pods'], detect: containerRequests },
  {
    name: 'workload-availability',
    needs: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
    over: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
    detect: workloadAvailability,
  },
  { name: 'jobs', needs: ['jobs', 'cronjobs'], detect: jobs },
  {
    name: 'pvc-pending',
    needs: ['persistentvolumeclaims', 'storageclasses', 'persistentvolumes'],
    over: ['persistentvolumeclaims'],
    detect: pvcPending,
  },
  { name: 'services', needs: ['services', 'pods'], over: ['services'], detect: services },
  { name: 'ingresses', needs: ['ingresses', 'services'], over: ['ingresses'], detect: ingresses },
  {
    name: 'hpas',
    needs: ['horizontalpodautoscalers'],
    over: ['horizontalpodautoscalers'],
    detect: hpas,
  },
  { name: 'metrics-apis', needs: ['horizontalpodautoscalers'], detect: metricsApis },
  { name: 'pdbs', needs: ['poddisruptionbudgets'], over: ['poddisruptionbudgets'], detect: pdbs },
  { name: 'nodes', needs: ['nodes'], over: ['nodes'], detect: nodes },
  { name: 'node-overcommit', needs: ['nodes', 'pods'], over: ['nodes'], detect: nodeOvercommit },
  {
    name: 'network-policies',
    needs: ['networkpolicies', 'pods'],
    over: ['networkpolicies'],
    detect: networkPolicies,
  },
  {
    name: 'webhooks',
    needs: ['services', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
    detect: webhooks,
  },
  { name: 'istio', needs: [], detect: istio },
  {
    name: 'ingress-classes',
    needs: ['ingresses', 'ingressclasses'],
    over: ['ingresses'],
    detect: ingressClasses,
  },
  { name: 'default-classes', needs: [], detect: defaultClasses },
  {
    name: 'statefulset-references',
    needs: ['statefulsets'],
    over: ['statefulsets'],
    detect: statefulSetReferences,
  },
  {
    name: 'volume-phases',
    needs: ['persistentvolumes'],
    over: ['persistentvolumes'],
    detect: volumePhases,
  },
  {
    name: 'claims-lost',
    needs: ['persistentvolumeclaims'],
    over: ['persistentvolumeclaims'],
    detect: claimsLost,
  },
  {
    name: 'rbac-bindings',
    needs: ['rolebindings', 'clusterrolebindings'],
    over: ['rolebindings', 'clusterrolebindings'],
    detect: rbacBindings,
  },
  { name: 'pod-restarting', needs: ['pods'], over: ['pods'], detect: podRestarting },
  { name: 'pod-hygiene', needs: ['pods'], over: ['pods'], detect: podHygiene },
  { name: 'workload-hygiene', needs: WORKLOADS, over: WORKLOADS, detect: workloadHygiene },
  { name: 'cronjob-schedules', needs: ['cronjobs'], over: ['cronjobs'], detect: cronJobSchedules },
  { name: 'priority-classes', needs: ['replicasets'], detect: priorityClasses },
  { name: 'node-conditions', needs: ['nodes'], over: ['nodes'], detect: nodeConditions },
  { name: 'node-taints', needs: ['nodes', 'pods'], detect: nodeTaints },
];

/** Detectors run only when config switches them on (code-switches.ts): what they report is opt-in. */
export const OPT_IN_DETECTORS = {
  unusedObjects: { name: 'unused-objects', needs: ['pods'], detect: unusedObjects },
} as const satisfies Record<string, Detector>;
