/** One difference between the current object and what would be stored. */
export interface DiffEntry {
  path: string;
  op: 'add' | 'remove' | 'replace';
  from?: unknown;
  to?: unknown;
}

// Server-managed fields change on every write and say nothing about the user's change.
const IGNORED = new Set([
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.managedFields',
  'metadata.uid',
  'metadata.creationTimestamp',
  'status',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A structural diff of two Kubernetes objects as JSON paths (`spec.replicas`,
 * `spec.template.spec.containers[0].image`). Arrays are compared by index, as the API server
 * stores them; that over-reports a reordered list but never misses a change.
 */
export function diffObjects(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (IGNORED.has(path)) return [];
  // A new object reads best field by field, without the server-managed ones (status, uid, …).
  if (path === '' && before === undefined && isObject(after)) return diffObjects({}, after);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffObjects(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) =>
      diffObjects(before[i], after[i], `${path}[${i}]`),
    ).flat();
  }
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, op: 'add', to: after }];
  if (after === undefined) return [{ path, op: 'remove', from: before }];
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path, op: 'replace', from: before, to: after }];
}
