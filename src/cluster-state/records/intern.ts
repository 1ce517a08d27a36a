/**
 * A bounded pool of shared values. JSON.parse gives every object its own copy of each string and
 * object, so 100k pods on 200 nodes would otherwise keep 100k copies of ~200 node names, of a few
 * namespaces, label sets and request sizes. Records keep the pooled instance instead.
 *
 * Pooled values are shared between records: they are never mutated (objects are frozen). The pool
 * is cleared when it reaches its bound, so values that churn (pod-template-hash labels of old
 * rollouts) cannot grow it forever; records made before a clear keep their own instance, which is
 * only less shared, never wrong.
 */
export class InternPool<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly maxSize: number) {}

  /** The pooled value for `key`, made by `make` on the first request. */
  get(key: string, make: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      if (this.values.size >= this.maxSize) this.values.clear();
      value = make();
      this.values.set(key, value);
    }
    return value;
  }

  get size(): number {
    return this.values.size;
  }
}

const strings = new InternPool<string>(50_000);

/** One shared instance of a string that many records repeat (namespace, node, owner kind). */
export function internString(value: string): string {
  return strings.get(value, () => value);
}
