/** Says whether a namespace is visible; '' stands for "cluster-scoped". */
export type NamespaceCheck = (namespace: string) => boolean;

/** The namespace an item carries, '' when cluster-scoped, or undefined when it carries none. */
function namespaceOf(item: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(item, key)) return typeof item[key] === 'string' ? item[key] : '';
  const metadata = item.metadata;
  if (metadata && typeof metadata === 'object' && Object.hasOwn(item, 'kind')) {
    const ns = (metadata as Record<string, unknown>).namespace;
    return typeof ns === 'string' ? ns : '';
  }
  // Something about one object (a finding, a forecast, a suspect) is where its object is: leaving
  // it in with only its reference blanked would still tell its message, evidence and id.
  const ref = item.object;
  if (isRecord(ref) && typeof ref.kind === 'string' && typeof ref.name === 'string')
    return typeof ref.namespace === 'string' ? ref.namespace : '';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Removes from `data` every item outside the caller's namespaces: array elements that carry a
 * namespace (`namespace`, or a Kubernetes object's `metadata.namespace`) not visible, or an empty
 * one (cluster-scoped), at any depth. Returns undefined when `data` itself is such an item, so the
 * caller answers 404 (or drops an event) without saying it exists. Items carrying no namespace are
 * kept and searched. `key` names the field holding the namespace (`name` for namespace lists).
 */
export function withinNamespaces(
  data: unknown,
  visible: NamespaceCheck,
  key = 'namespace',
): unknown {
  if (Array.isArray(data)) return filterArray(data, visible, key);
  if (!isRecord(data)) return data;
  const own = namespaceOf(data, 'namespace');
  if (own !== undefined && !visible(own)) return undefined;
  return mapValues(data, visible, key);
}

function filterArray(items: unknown[], visible: NamespaceCheck, key: string): unknown[] {
  const kept: unknown[] = [];
  for (const item of items) {
    if (!isRecord(item)) {
      kept.push(item);
      continue;
    }
    const ns = namespaceOf(item, key);
    if (ns !== undefined && !visible(ns)) continue;
    // Only the top list holds namespaces by `name`; deeper lists carry their own `namespace`.
    kept.push(mapValues(item, visible, 'namespace'));
  }
  return kept;
}

function mapValues(record: Record<string, unknown>, visible: NamespaceCheck, key: string): unknown {
  let copy: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(record)) {
    if (value === null || typeof value !== 'object') continue;
    const shown = Array.isArray(value)
      ? filterArray(value, visible, key)
      : withinNamespaces(value, visible);
    if (shown !== value) (copy ??= { ...record })[field] = shown ?? null;
  }
  return copy ?? record;
}
