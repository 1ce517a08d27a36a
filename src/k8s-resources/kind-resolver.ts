import { AppError } from '../common/app-error';
import type { ServedKind } from '../kubernetes/discovery';

export function resourceKey(r: ServedKind): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/**
 * Finds the served resource a `:kind` path segment means: `plural.group` exactly, else the plural,
 * the kind (any case) or a short name. Several matches are refused with the candidates rather
 * than guessed (Istio and Gateway API both serve "gateways").
 */
export function resolveKind(served: readonly ServedKind[], ref: string): ServedKind {
  const lower = ref.toLowerCase();
  const exact = served.find((r) => resourceKey(r) === lower);
  if (exact) return exact;
  const matches = served.filter(
    (r) => r.plural === lower || r.kind.toLowerCase() === lower || r.shortNames.includes(lower),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length === 0)
    throw new AppError('K8S_NOT_FOUND', `This cluster serves no resource "${ref}"`, { kind: ref });
  const candidates = matches.map(resourceKey);
  throw new AppError(
    'VALIDATION_FAILED',
    `"${ref}" is ambiguous in this cluster; use one of ${candidates.join(', ')}`,
    [{ field: 'kind', errors: [`ambiguous: ${candidates.join(', ')}`] }],
  );
}
