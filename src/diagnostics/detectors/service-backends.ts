import type { PodRecord } from '../../cluster-state/records/pod';
import type { SpecObject } from '../../cluster-state/records/spec-object';
import type { ObjectRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

/**
 * What a Service with matching pods can still get wrong: a targetPort its pods do not declare, ready
 * pods the EndpointSlice controller left out, a single pod behind it. Called by the services
 * detector with the pods it matched (running or pending), so the pods are matched once.
 */

/** Longer than the EndpointSlice controller takes to add a pod that turned ready (about a second). */
export const READY_GRACE_SECONDS = 60;

const MAX_PODS = 5;

const NO_PORTS: readonly Record<string, any>[] = Object.freeze([]);

const declares = (p: PodRecord, port: string): boolean => p.refs?.ports?.includes(port) ?? false;

const isNamed = (target: number | string): boolean =>
  typeof target === 'string' && !/^\d+$/.test(target);

/**
 * The first targetPort (as the API defaults it: the port itself) no selected pod declares; a
 * number counts only when some pod declares ports at all.
 */
function firstUndeclared(s: SpecObject, pods: PodRecord[]): number | string | undefined {
  // Runs for every Service with pods in a full evaluation (10k): no array per Service.
  const ports: readonly Record<string, any>[] = Array.isArray(s.spec.ports)
    ? s.spec.ports
    : NO_PORTS;
  let anyDeclared = false;
  for (let j = 0; j < pods.length && !anyDeclared; j++)
    anyDeclared = (pods[j].refs?.ports?.length ?? 0) > 0;
  for (let i = 0; i < ports.length; i++) {
    const target = ports[i].targetPort ?? ports[i].port;
    if (target === undefined || target === '' || (!anyDeclared && !isNamed(target))) continue;
    const text = String(target);
    let declared = false;
    for (let j = 0; j < pods.length && !declared; j++) declared = declares(pods[j], text);
    if (!declared) return target;
  }
  return undefined;
}

/**
 * A named targetPort is resolved in each pod's container ports: no pod declaring it leaves the
 * Service without a port to send to. A number is sent as is (containerPort is informational), so it
 * is only suspect when the pods declare ports and none of them is this one.
 */
function undeclaredPort(ref: ObjectRef, s: SpecObject, pods: PodRecord[]): RawFinding | undefined {
  const target = firstUndeclared(s, pods);
  if (target === undefined) return undefined;
  const text = String(target);
  const named = isNamed(target);
  const example = pods.find((p) => p.refs?.ports?.length) ?? pods[0];
  return {
    code: 'SERVICE_TARGET_PORT_UNDECLARED',
    severity: named ? 'critical' : 'warning',
    object: ref,
    message: named
      ? `targetPort ${text} is not a port name of any selected pod's containers: the Service has no port to send traffic to.`
      : `targetPort ${text} is not among the container ports the selected pods declare (${(example.refs?.ports ?? []).join(', ')}).`,
    fields: {
      'spec.ports[].targetPort': target,
      'pod.spec.containers[].ports': example.refs?.ports ?? [],
      pods: pods.slice(0, MAX_PODS).map((p) => p.name),
    },
    suggestion: named
      ? `Name a container port ${text} in the pod template, or set targetPort to the port the container listens on.`
      : `Set targetPort to the port the container listens on (declared: ${(example.refs?.ports ?? []).join(', ')}).`,
  };
}

/**
 * Pods ready for longer than the grace period, while the Service's EndpointSlices exist and hold no
 * endpoint at all: the EndpointSlice controller left them out (no pod IP, a controller not
 * running). Terminating pods stay in their slices as not ready, so they are no such case.
 */
function readyButNoEndpoints(
  input: DetectorInput,
  ref: ObjectRef,
  pods: PodRecord[],
): RawFinding | undefined {
  if (!input.caches('endpointslices')) return undefined;
  if (input.endpointCount(ref.namespace, ref.name) !== 0) return undefined;
  const now = input.now / 1000;
  const ready = pods.filter(
    (p) => p.ready && (p.readySince === undefined || now - p.readySince > READY_GRACE_SECONDS),
  );
  if (!ready.length) return undefined;
  return {
    code: 'SERVICE_READY_PODS_NO_ENDPOINTS',
    severity: 'critical',
    object: ref,
    message: `${ready.length} selected pod(s) have been ready for over ${READY_GRACE_SECONDS} s, but the Service's EndpointSlices hold no endpoint: traffic to it fails.`,
    fields: {
      readyPods: ready.length,
      endpoints: 0,
      pods: ready.slice(0, MAX_PODS).map((p) => p.name),
    },
    suggestion:
      'Check the pods have an IP (status.podIP) and that the EndpointSlice controller of kube-controller-manager is running; its events and logs say why it skips them.',
  };
}

/**
 * One pod behind a ClusterIP Service: no redundancy, a restart or a drain is an outage. Headless
 * Services are left out: their clients address pods by name (a one-replica StatefulSet).
 */
function singleEndpoint(ref: ObjectRef, s: SpecObject, pods: PodRecord[]): RawFinding | undefined {
  if (pods.length !== 1 || !pods[0].ready || s.spec.clusterIP === 'None') return undefined;
  return {
    code: 'SERVICE_SINGLE_ENDPOINT',
    severity: 'info',
    object: ref,
    message: `Only pod ${pods[0].name} serves the Service: restarting or evicting it interrupts traffic.`,
    fields: { matchingPods: 1, pods: [pods[0].name] },
    suggestion:
      'Run at least two replicas (and a PodDisruptionBudget) if the Service must stay up.',
  };
}

/** Adds the findings of a Service that matches pods, beyond "none of them is ready", to `found`. */
export function addBackendFindings(
  found: RawFinding[],
  input: DetectorInput,
  s: SpecObject,
  pods: PodRecord[],
  ref: ObjectRef,
): void {
  const port = undeclaredPort(ref, s, pods);
  if (port) found.push(port);
  // Without endpoints, "only one pod serves it" is not the news.
  const left = readyButNoEndpoints(input, ref, pods) ?? singleEndpoint(ref, s, pods);
  if (left) found.push(left);
}
