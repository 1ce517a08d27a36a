/** Comparisons per step of {@link sortSteps}: a collator comparison costs ~0.3 µs. */
const COMPARISONS = 512;

/**
 * A stable bottom-up merge sort that yields every few hundred comparisons: 10,000 findings need
 * ~130,000 locale comparisons, tens of ms in one piece. The order is Array.prototype.sort's (both
 * are stable), so one pass and a sliced evaluation list findings identically.
 */
export function* sortSteps<T>(items: T[], compare: (a: T, b: T) => number): Generator<void, T[]> {
  let from = items.slice();
  let to: T[] = new Array<T>(from.length);
  let work = 0;
  for (let width = 1; width < from.length; width *= 2) {
    for (let lo = 0; lo < from.length; lo += 2 * width) {
      const mid = Math.min(lo + width, from.length);
      const hi = Math.min(lo + 2 * width, from.length);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        to[k] = i < mid && (j >= hi || compare(from[i], from[j]) <= 0) ? from[i++] : from[j++];
        if (++work % COMPARISONS === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
