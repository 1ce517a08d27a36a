/**
 * Same objects in the same order (identity), element by element without a closure per call: the
 * engine compares every reused item's stamp of every run, and last run's raws, events and findings.
 */
export function sameItems<T>(a: readonly T[], b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Appends `from` to `to`: an index loop, so no iterator per call in a generator run per item. */
export function pushAll<T>(to: T[], from: readonly T[]): void {
  for (let i = 0; i < from.length; i++) to.push(from[i]);
}
