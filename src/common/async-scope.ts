import { AsyncLocalStorage } from 'node:async_hooks';

/** A value that follows one piece of work through its awaits (a request, a forwarded question). */
export interface AsyncScope<T> {
  /** Runs `fn` with `value` as what `current()` answers inside it and all it awaits. */
  run<R>(value: T, fn: () => R): R;
  /** The value of the work in progress; undefined outside any `run`. */
  current(): T | undefined;
}

/** A new scope with its own storage: what one kind of per-work value is read through. */
export function asyncScope<T>(): AsyncScope<T> {
  const storage = new AsyncLocalStorage<T>();
  return {
    run: (value, fn) => storage.run(value, fn),
    current: () => storage.getStore(),
  };
}
