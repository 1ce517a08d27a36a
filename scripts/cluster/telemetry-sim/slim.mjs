// What the simulator keeps of each watched object: the few fields the model reads, so that a
// benchmark's thousands of pods cost little memory.
import { PREFIX, parseQuantity } from './annotations.mjs';

function simAnnotations(meta) {
  const out = {};
  for (const [k, v] of Object.entries(meta.annotations ?? {})) if (k.startsWith(PREFIX)) out[k] = v;
  return out;
}

function controller(meta) {
  const ref = (meta.ownerReferences ?? []).find((r) => r.controller) ?? meta.ownerReferences?.[0];
  return ref ? { kind: ref.kind, name: ref.name } : null;
}

const quantity = (q) => (q === undefined ? 0 : parseQuantity(q) || 0);

export const slim = {
  node: (o) => ({
    name: o.metadata.name,
    // kwokctl's fake nodes carry this annotation; only their pods are simulated.
    kwok: o.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake',
  }),
  pod: (o) => ({
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    uid: o.metadata.uid,
    labels: o.metadata.labels ?? {},
    annotations: simAnnotations(o.metadata),
    owner: controller(o.metadata),
    node: o.spec.nodeName ?? '',
    serviceAccount: o.spec.serviceAccountName ?? 'default',
    running: o.status?.phase === 'Running',
    ready: (o.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    startedAt: Date.parse(o.status?.startTime ?? o.metadata.creationTimestamp) / 1000 || 0,
    containers: (o.spec.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      cpuLimit: quantity(c.resources?.limits?.cpu),
      memoryLimit: quantity(c.resources?.limits?.memory),
    })),
    claims: (o.spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean),
  }),
  owned: (o) => ({
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    owner: controller(o.metadata),
    annotations: simAnnotations(o.metadata),
  }),
  service: (o) => ({
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    selector: o.spec.selector ?? null,
  }),
  pvc: (o) => ({
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    // The contract's capacity is the requested size (a bound volume may be larger).
    capacity: quantity(o.spec.resources?.requests?.storage ?? o.status?.capacity?.storage),
  }),
};
