import { InternPool, internString } from './intern';
import { arrayOf, K8sObject } from './object-fields';

/** A Role or ClusterRole, known by name (namespace '' for ClusterRoles). */
export interface RoleRecord {
  name: string;
  namespace: string;
}

/** A RoleBinding or ClusterRoleBinding: the role it grants and to which ServiceAccounts. */
export interface RoleBindingRecord {
  name: string;
  /** '' for ClusterRoleBindings. */
  namespace: string;
  roleRef: { kind: string; name: string };
  /** ServiceAccount subjects (Users and Groups live outside the cluster). */
  serviceAccounts: { namespace: string; name: string }[];
  /** Created by the API server's bootstrap policy (label kubernetes.io/bootstrapping=rbac-defaults). */
  bootstrap?: true;
}

/**
 * A ServiceAccount by name, with the image pull Secrets its pods inherit and whether it opts its
 * pods out of the token automount.
 */
export interface ServiceAccountRecord {
  name: string;
  namespace: string;
  pullSecrets?: string[];
  automountToken?: false;
}

export function slimRole(object: K8sObject): RoleRecord {
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? ''),
  };
}

type RoleRef = RoleBindingRecord['roleRef'];
type SubjectList = RoleBindingRecord['serviceAccounts'];

/**
 * Bindings repeat the same role references and subject lists, across namespaces and across
 * clusters (every cluster's bootstrap policy is the same ~50 bindings): one frozen instance each.
 */
const roleRefs = new InternPool<RoleRef>(10_000);
const subjectLists = new InternPool<SubjectList>(10_000);

function sharedRoleRef(kind: string, name: string): RoleRef {
  return roleRefs.get(`${kind}/${name}`, () => Object.freeze({ kind, name }));
}

function sharedSubjects(list: SubjectList): SubjectList {
  return subjectLists.get(
    JSON.stringify(list),
    () => Object.freeze(list.map((s) => Object.freeze(s))) as SubjectList,
  );
}

export function slimRoleBinding(object: K8sObject): RoleBindingRecord {
  const namespace = String(object.metadata?.namespace ?? '');
  const record: RoleBindingRecord = {
    name: String(object.metadata?.name ?? ''),
    namespace,
    roleRef: sharedRoleRef(String(object.roleRef?.kind ?? ''), String(object.roleRef?.name ?? '')),
    serviceAccounts: sharedSubjects(
      arrayOf(object.subjects)
        .filter((s) => s?.kind === 'ServiceAccount' && s.name)
        .map((s) => ({ namespace: String(s.namespace ?? namespace), name: String(s.name) })),
    ),
  };
  if (object.metadata?.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults')
    record.bootstrap = true;
  return record;
}

export function slimServiceAccount(object: K8sObject): ServiceAccountRecord {
  const pullSecrets = arrayOf(object.imagePullSecrets)
    .map((s) => s?.name)
    .filter((n): n is string => typeof n === 'string' && n.length > 0);
  return {
    name: String(object.metadata?.name ?? ''),
    namespace: internString(String(object.metadata?.namespace ?? '')),
    ...(pullSecrets.length ? { pullSecrets } : {}),
    ...(object.automountServiceAccountToken === false ? { automountToken: false as const } : {}),
  };
}
