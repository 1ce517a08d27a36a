import type { ExecutionContext } from '@nestjs/common';
import { perHandler } from './handler-memo';

const contextOf = (type: object, handler: object) =>
  ({ getClass: () => type, getHandler: () => handler }) as unknown as ExecutionContext;

describe('perHandler', () => {
  it('reads a route once per controller and handler, and keeps them apart', () => {
    let reads = 0;
    const declared = perHandler((c) => `${(c.getClass() as { name: string }).name}#${++reads}`);
    class A {}
    class B {}
    const shared = () => undefined;
    expect(declared(contextOf(A, shared))).toBe('A#1');
    expect(declared(contextOf(A, shared))).toBe('A#1');
    // The same handler inherited by another controller may carry other class metadata.
    expect(declared(contextOf(B, shared))).toBe('B#2');
    expect(reads).toBe(2);
  });

  it('remembers a falsy declaration too', () => {
    let reads = 0;
    const declared = perHandler(() => (reads++, undefined));
    class A {}
    const handler = () => undefined;
    declared(contextOf(A, handler));
    declared(contextOf(A, handler));
    expect(reads).toBe(1);
  });
});
