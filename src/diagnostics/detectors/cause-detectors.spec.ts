import { slimRole, slimRoleBinding, slimServiceAccount } from '../../cluster-state/records/access';
import { slimLabelled } from '../../cluster-state/records/labelled';
import { slimIngress, slimIngressClass } from '../../cluster-state/records/networking';
import { slimPv, slimPvc, slimStorageClass } from '../../cluster-state/records/storage';
import { slimStatefulSet } from '../../cluster-state/records/workload';
import { slimSpecObject } from '../../cluster-state/records/spec-object';
import { evaluate } from '../evaluate';
import { inputOf, pod, waiting } from '../testing/diagnostics-builders';
import { defaultClasses } from './default-classes.detector';
import { ingressClasses } from './ingress-class.detector';
import { podImagePull } from './pod-image-pull.detector';
import { rbacBindings } from './rbac-bindings.detector';
import { statefulSetReferences } from './statefulset-references.detector';
import { claimsLost, volumePhases } from './storage-phases.detector';

const names = (found: { code: string; object: { name: string } }[]) =>
  found.map((f) => `${f.code} ${f.object.name}`);
const ingressClass = (name: string, isDefault = false) =>
  slimIngressClass({
    metadata: {
      name,
      annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {},
    },
    spec: { controller: 'example.com/ingress' },
  });
const storageClass = (name: string, provisioner = 'csi.example.com', isDefault = false) =>
  slimStorageClass({
    metadata: {
      name,
      annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {},
    },
    provisioner,
  });
const ingress = (name: string, spec: Record<string, any>, annotations?: Record<string, string>) =>
  slimIngress({ metadata: { name, namespace: 'shop', annotations }, spec });

describe('classes', () => {
  it('report an Ingress naming a missing IngressClass (field: critical, annotation: warning), naming the class; not an existing class nor no class at all', () => {
    const found = ingressClasses(
      inputOf({
        ingressclasses: [ingressClass('nginx', true)],
        ingresses: [
          ingress('typo', { ingressClassName: 'ngnix' }),
          ingress('old', {}, { 'kubernetes.io/ingress.class': 'traefik' }),
          ingress('fine', { ingressClassName: 'nginx' }),
          ingress('default', {}),
        ],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name} ${f.severity}`)).toEqual([
      'INGRESS_CLASS_NOT_FOUND typo critical',
      'INGRESS_CLASS_NOT_FOUND old warning',
    ]);
    expect(found[0].causes).toEqual(['IngressClass ngnix']);
  });

  it('report several default StorageClasses or IngressClasses, naming all of them; one default is fine', () => {
    const found = defaultClasses(
      inputOf({
        storageclasses: [storageClass('b', 'x', true), storageClass('a', 'x', true)],
        ingressclasses: [ingressClass('nginx', true), ingressClass('traefik')],
      }),
    );
    expect(names(found)).toEqual(['STORAGE_CLASS_MULTIPLE_DEFAULTS a']);
    expect(found[0].causes).toEqual(['StorageClass a', 'StorageClass b']);
  });
});

describe('StatefulSets', () => {
  const sts = (name: string, spec: Record<string, any>) =>
    slimStatefulSet({ metadata: { name, namespace: 'shop' }, spec, status: {} });
  const template = (storageClassName?: string) => ({
    metadata: { name: 'data' },
    spec: storageClassName === undefined ? {} : { storageClassName },
  });

  it('report a missing governing Service and a claim class that is missing or provisions nothing', () => {
    const found = statefulSetReferences(
      inputOf({
        services: [],
        storageclasses: [storageClass('local', 'kubernetes.io/no-provisioner')],
        statefulsets: [
          sts('orphan', { serviceName: 'orphan' }),
          sts('typo', { volumeClaimTemplates: [template('fsat')] }),
          sts('manual', { volumeClaimTemplates: [template('local')] }),
        ],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name} ${f.causes}`)).toEqual([
      'STATEFULSET_MISSING_SERVICE orphan Service shop/orphan',
      'STATEFULSET_STORAGE_CLASS_MISSING typo StorageClass fsat',
      'STATEFULSET_STORAGE_CLASS_NO_PROVISIONER manual StorageClass local',
    ]);
  });

  it('stay silent on an existing Service, the default class, an explicit "" class and no serviceName', () => {
    const found = statefulSetReferences(
      inputOf({
        services: [slimSpecObject({ metadata: { name: 'db', namespace: 'shop' }, spec: {} })],
        storageclasses: [storageClass('standard', 'csi.example.com', true)],
        statefulsets: [
          sts('db', { serviceName: 'db', volumeClaimTemplates: [template()] }),
          sts('static', { volumeClaimTemplates: [template('')] }),
          sts('nameless', {}),
        ],
      }),
    );
    expect(found).toEqual([]);
  });
});

describe('storage phases', () => {
  it('report Released (info) and Failed (warning) volumes and Lost claims naming their volume; not Bound or Available ones', () => {
    const pv = (name: string, phase: string) =>
      slimPv({
        metadata: { name },
        spec: { claimRef: { namespace: 'shop', name: `${name}-claim` } },
        status: { phase },
      });
    const pvc = (name: string, phase: string) =>
      slimPvc({
        metadata: { name, namespace: 'shop' },
        spec: { volumeName: `${name}-pv` },
        status: { phase },
      });
    const input = inputOf({
      persistentvolumes: [
        pv('kept', 'Released'),
        pv('broken', 'Failed'),
        pv('used', 'Bound'),
        pv('free', 'Available'),
      ],
      persistentvolumeclaims: [pvc('lost', 'Lost'), pvc('bound', 'Bound')],
    });
    const found = [...volumePhases(input), ...claimsLost(input)];
    expect(found.map((f) => `${f.code} ${f.object.name} ${f.severity}`)).toEqual([
      'PV_RELEASED kept info',
      'PV_FAILED broken warning',
      'PVC_LOST lost critical',
    ]);
    expect(found[2].causes).toEqual(['PersistentVolume lost-pv']);
  });
});

describe('RBAC bindings', () => {
  const binding = (name: string, roleRef: Record<string, string>, subjects: any[], extra = {}) =>
    slimRoleBinding({ metadata: { name, namespace: 'shop', ...extra }, roleRef, subjects });
  const sa = (name: string) => ({ kind: 'ServiceAccount', name });

  it('report a binding to a missing Role or ClusterRole and to a missing ServiceAccount, naming them', () => {
    const found = rbacBindings(
      inputOf({
        roles: [slimRole({ metadata: { name: 'reader', namespace: 'shop' } })],
        clusterroles: [slimRole({ metadata: { name: 'view' } })],
        serviceaccounts: [slimServiceAccount({ metadata: { name: 'app', namespace: 'shop' } })],
        rolebindings: [
          binding('dangling', { kind: 'Role', name: 'writer' }, [sa('app')]),
          binding('gone-cluster-role', { kind: 'ClusterRole', name: 'edit-ish' }, [sa('app')]),
          binding('ghost', { kind: 'Role', name: 'reader' }, [sa('deleted')]),
          binding('fine', { kind: 'ClusterRole', name: 'view' }, [
            sa('app'),
            { kind: 'User', name: 'al' },
          ]),
        ],
        clusterrolebindings: [
          slimRoleBinding({
            metadata: {
              name: 'system:controller:x',
              labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
            },
            roleRef: { kind: 'ClusterRole', name: 'system:controller:x' },
            subjects: [{ kind: 'ServiceAccount', name: 'x', namespace: 'kube-system' }],
          }),
        ],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name} ${f.causes}`)).toEqual([
      'RBAC_BINDING_MISSING_ROLE dangling Role shop/writer',
      'RBAC_BINDING_MISSING_ROLE gone-cluster-role ClusterRole edit-ish',
      'RBAC_BINDING_MISSING_SERVICE_ACCOUNT ghost ServiceAccount shop/deleted',
    ]);
  });
});

describe('image pull Secrets', () => {
  const secret = (name: string) => slimLabelled({ metadata: { name, namespace: 'shop' } });
  const pulling = (name: string, spec: Record<string, any> = {}) =>
    pod(name, { ready: false, containerStatuses: [waiting('ImagePullBackOff')], spec });

  it('report a pull failure by its cause, the missing Secret named by the pod or its ServiceAccount', () => {
    const found = podImagePull(
      inputOf({
        secrets: [secret('registry')],
        serviceaccounts: [
          slimServiceAccount({
            metadata: { name: 'builder', namespace: 'shop' },
            imagePullSecrets: [{ name: 'builder-registry' }],
          }),
        ],
        pods: [
          pulling('own', { imagePullSecrets: [{ name: 'typo-registry' }] }),
          pulling('inherited', { serviceAccountName: 'builder' }),
          pulling('has-secret', { imagePullSecrets: [{ name: 'registry' }] }),
          // Pulls fine: a public image needs no Secret, so the missing one costs nothing.
          pod('running', { spec: { imagePullSecrets: [{ name: 'typo-registry' }] } }),
        ],
      }),
    );
    expect(found.map((f) => `${f.code} ${f.object.name} ${f.causes ?? ''}`)).toEqual([
      'POD_MISSING_PULL_SECRET own Secret shop/typo-registry',
      'POD_MISSING_PULL_SECRET inherited Secret shop/builder-registry',
      'POD_IMAGE_PULL has-secret ',
    ]);
  });

  it('keep the plain pull failure when Secrets are not cached (never guessing "missing")', () => {
    const found = podImagePull(
      inputOf({ pods: [pulling('own', { imagePullSecrets: [{ name: 'x' }] })] }),
    );
    expect(names(found)).toEqual(['POD_IMAGE_PULL own']);
  });
});

describe('a finding caused by another object', () => {
  it('lists the cause first in the evidence objects, before the affected pods of its workload', () => {
    const pulling = (name: string) =>
      pod(name, {
        ready: false,
        owner: { kind: 'StatefulSet', name: 'db' },
        containerStatuses: [waiting('ErrImagePull')],
        spec: { imagePullSecrets: [{ name: 'registry' }] },
      });
    const [finding] = evaluate(
      'c1',
      inputOf({ secrets: [], pods: [pulling('db-0'), pulling('db-1')] }),
    ).filter((f) => f.code === 'POD_MISSING_PULL_SECRET');
    expect(finding.object).toMatchObject({ kind: 'StatefulSet', name: 'db' });
    expect(finding.evidence.objects).toEqual(['Secret shop/registry', 'db-0', 'db-1']);
    expect(finding.count).toBe(2);
  });
});
