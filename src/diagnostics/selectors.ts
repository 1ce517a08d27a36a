import type { LabelSelector } from '../cluster-state/records/owner';

/**
 * Label selector semantics: every matchLabels pair and every expression must hold; an empty
 * selector matches everything.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A Service's selector: a plain map, all pairs must match. */
export function mapMatches(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

export const isEmptySelector = (s: LabelSelector): boolean =>
  !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;
