/**
 * Structural equality of two slim records: plain objects, arrays and primitives compared by value,
 * anything else (class instances, typed arrays, dates) by identity, so an unusual field can only
 * make two records differ, never hide a change.
 */
export function sameRecord(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) return sameArray(a, b);
  if (!isPlain(a) || !isPlain(b)) return false;
  // Every own key, symbols and non-enumerable ones too: a record may carry hidden state (the change
  // timeline's tracked fields hide under a symbol) that JSON and Object.keys do not show.
  const keys = Reflect.ownKeys(a);
  if (keys.length !== Reflect.ownKeys(b).length) return false;
  for (const key of keys)
    if (!Object.hasOwn(b, key) || !sameRecord((a as Plain)[key], (b as Plain)[key])) return false;
  return true;
}

type Plain = Record<string | symbol, unknown>;

function sameArray(a: object, b: object): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameRecord(a[i], b[i])) return false;
  return true;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
