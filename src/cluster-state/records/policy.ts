import { arrayOf, K8sObject } from './object-fields';
import { ConditionRecord, keptConditions, LabelSelector } from './owner';

export interface HpaRecord {
  name: string;
  namespace: string;
  target: { kind: string; name: string; apiVersion: string };
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  /** ScalingLimited=True, AbleToScale=False, ScalingActive=False. */
  conditions?: ConditionRecord[];
  /** Resources (cpu, memory) of its Resource/ContainerResource metrics with a Utilization target: they need pod requests. */
  utilizationOf?: string[];
}

export interface PdbRecord {
  name: string;
  namespace: string;
  selector: LabelSelector;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
}

export interface WebhookConfigRecord {
  name: string;
  /** One entry per webhook that calls a Service (URL webhooks are outside the cluster). */
  services: { webhook: string; namespace: string; name: string; failurePolicy: string }[];
}

const num = (v: unknown): number => Number(v ?? 0) || 0;

export function slimHpa(object: K8sObject): HpaRecord {
  const spec = object.spec ?? {};
  const target = spec.scaleTargetRef ?? {};
  const record: HpaRecord = {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    target: {
      kind: String(target.kind ?? ''),
      name: String(target.name ?? ''),
      apiVersion: String(target.apiVersion ?? ''),
    },
    minReplicas: num(spec.minReplicas ?? 1),
    maxReplicas: num(spec.maxReplicas),
    currentReplicas: num(object.status?.currentReplicas),
    desiredReplicas: num(object.status?.desiredReplicas),
  };
  const conditions = keptConditions(object, (c) =>
    c?.type === 'ScalingLimited' ? c.status === 'True' : c?.status === 'False',
  );
  if (conditions) record.conditions = conditions;
  const utilization = utilizationResources(spec);
  if (utilization.length) record.utilizationOf = utilization;
  return record;
}

/** autoscaling/v2 metrics, or v1's targetCPUUtilizationPercentage. */
function utilizationResources(spec: K8sObject): string[] {
  const found = new Set<string>();
  if (spec.targetCPUUtilizationPercentage !== undefined) found.add('cpu');
  for (const m of arrayOf(spec.metrics)) {
    const source = m.type === 'ContainerResource' ? m.containerResource : m.resource;
    if ((m.type === 'Resource' || m.type === 'ContainerResource') && source?.name)
      if (source.target?.type === 'Utilization') found.add(String(source.name));
  }
  return [...found];
}

export function slimPdb(object: K8sObject): PdbRecord {
  const spec = object.spec ?? {};
  const status = object.status ?? {};
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
    selector: spec.selector ?? {},
    ...(spec.minAvailable !== undefined ? { minAvailable: spec.minAvailable } : {}),
    ...(spec.maxUnavailable !== undefined ? { maxUnavailable: spec.maxUnavailable } : {}),
    disruptionsAllowed: num(status.disruptionsAllowed),
    currentHealthy: num(status.currentHealthy),
    desiredHealthy: num(status.desiredHealthy),
    expectedPods: num(status.expectedPods),
  };
}

export function slimWebhookConfig(object: K8sObject): WebhookConfigRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    services: arrayOf(object.webhooks)
      .filter((w) => w.clientConfig?.service?.name)
      .map((w) => ({
        webhook: String(w.name ?? ''),
        namespace: String(w.clientConfig.service.namespace ?? ''),
        name: String(w.clientConfig.service.name),
        failurePolicy: String(w.failurePolicy ?? 'Fail'),
      })),
  };
}
