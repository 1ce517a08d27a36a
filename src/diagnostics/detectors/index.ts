import { containerRequests } from './container-requests.detector';
import { Detector } from './detector';
import { hpas } from './hpa.detector';
import { ingresses } from './ingress.detector';
import { istio } from './istio.detector';
import { jobs } from './jobs.detector';
import { networkPolicies } from './network-policy.detector';
import { nodeOvercommit } from './node-overcommit.detector';
import { nodes } from './nodes.detector';
import { pdbs } from './pdb.detector';
import { podConfigError } from './pod-config-error.detector';
import { podCrashLoop } from './pod-crash-loop.detector';
import { podFailed } from './pod-failed.detector';
import { podImagePull } from './pod-image-pull.detector';
import { podNotReady } from './pod-not-ready.detector';
import { podOomKilled } from './pod-oom-killed.detector';
import { podReferences } from './pod-references.detector';
import { podUnschedulable } from './pod-unschedulable.detector';
import { pvcPending } from './pvc-pending.detector';
import { services } from './service.detector';
import { webhooks } from './webhooks.detector';
import { workloadAvailability } from './workload-availability.detector';

/** Every detector, in the order their findings are listed for one object. */
export const DETECTORS: readonly Detector[] = [
  podCrashLoop,
  podImagePull,
  podOomKilled,
  podConfigError,
  podUnschedulable,
  podNotReady,
  podFailed,
  podReferences,
  containerRequests,
  workloadAvailability,
  jobs,
  pvcPending,
  services,
  ingresses,
  hpas,
  pdbs,
  nodes,
  nodeOvercommit,
  networkPolicies,
  webhooks,
  istio,
];
