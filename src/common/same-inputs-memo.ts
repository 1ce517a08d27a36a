interface Entry<T> {
  inputs: readonly unknown[];
  value: T;
}

/**
 * One value per owner object, made again only when one of the inputs it was made from is not the
 * same (Object.is) as last time: the caller lists every number and object the value reads, and
 * objects it reads must be replaced, not changed in place, when they change. Held weakly by its
 * owner, so a dropped owner (a stopped cache) takes its value with it.
 */
export class SameInputsMemo<K extends object, T> {
  private readonly entries = new WeakMap<K, Entry<T>>();

  get(owner: K, inputs: readonly unknown[], make: () => T): T {
    const entry = this.entries.get(owner);
    if (entry && sameInputs(entry.inputs, inputs)) return entry.value;
    const value = make();
    this.entries.set(owner, { inputs, value });
    return value;
  }
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
