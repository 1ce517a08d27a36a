import type { RoleBindingRecord } from '../../cluster-state/records/access';
import { ObjectRef, RawFinding } from '../../cluster-state/finding';
import { DetectorInput, ns } from './detector';

const GROUP = 'rbac.authorization.k8s.io';

const ref = (b: RoleBindingRecord): ObjectRef => ({
  group: GROUP,
  kind: b.namespace ? 'RoleBinding' : 'ClusterRoleBinding',
  namespace: b.namespace,
  name: b.name,
});

function missingRole(input: DetectorInput, b: RoleBindingRecord): RawFinding | undefined {
  const { kind, name } = b.roleRef;
  const cluster = kind === 'ClusterRole';
  if (!cluster && kind !== 'Role') return undefined;
  if (!input.caches(cluster ? 'clusterroles' : 'roles')) return undefined;
  if (cluster ? input.get('clusterroles', name) : input.get('roles', name, b.namespace))
    return undefined;
  const role = cluster ? `ClusterRole ${name}` : `Role ${b.namespace}/${name}`;
  return {
    code: 'RBAC_BINDING_MISSING_ROLE',
    severity: 'warning',
    object: ref(b),
    message: `The binding grants ${role}, which does not exist: its subjects get none of the permissions it was meant to give.`,
    fields: { roleRef: b.roleRef },
    suggestion: `Create ${role} (reinstall the component that ships it), or delete the leftover binding.`,
    causes: [role],
  };
}

function missingAccounts(input: DetectorInput, b: RoleBindingRecord): RawFinding | undefined {
  if (!b.serviceAccounts.length || !input.caches('serviceaccounts')) return undefined;
  const missing = b.serviceAccounts
    .filter((s) => !input.get('serviceaccounts', s.name, s.namespace))
    .map((s) => ns(s.namespace, s.name));
  if (!missing.length) return undefined;
  return {
    code: 'RBAC_BINDING_MISSING_SERVICE_ACCOUNT',
    severity: 'info',
    object: ref(b),
    message: `The binding names ServiceAccount ${missing.join(', ')}, which does not exist: a leftover, or an account that will be granted this the moment someone creates it.`,
    fields: { 'subjects[kind=ServiceAccount]': missing },
    suggestion:
      'Remove the subject (or the binding) if its workload is gone, or create the ServiceAccount.',
    causes: missing.slice(0, 5).map((m) => `ServiceAccount ${m}`),
  };
}

/**
 * (Cluster)RoleBindings that grant a missing (Cluster)Role, or name ServiceAccounts that do not
 * exist. The API server's default bindings (label kubernetes.io/bootstrapping=rbac-defaults) are
 * left out: their controller accounts exist only when kube-controller-manager runs with
 * per-controller credentials.
 */
export function rbacBindings(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const kind of ['rolebindings', 'clusterrolebindings'] as const)
    for (const b of input.list(kind)) {
      if (b.bootstrap) continue;
      for (const f of [missingRole(input, b), missingAccounts(input, b)]) if (f) findings.push(f);
    }
  return findings;
}
