import type { ExecutionContext } from '@nestjs/common';

/**
 * What a route declares (its metadata) does not change while the app runs: read it once per
 * controller class and handler instead of on every request. Keyed by both, as one handler
 * inherited by two controllers may carry different class metadata.
 */
export function perHandler<T>(read: (context: ExecutionContext) => T): (c: ExecutionContext) => T {
  const byClass = new WeakMap<object, Map<object, T>>();
  return (context) => {
    const type = context.getClass();
    const handler = context.getHandler();
    let handlers = byClass.get(type);
    if (!handlers) byClass.set(type, (handlers = new Map()));
    if (!handlers.has(handler)) handlers.set(handler, read(context));
    return handlers.get(handler) as T;
  };
}
