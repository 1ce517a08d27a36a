import type { NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import { asyncScope } from './async-scope';
import { runInOrder } from './middleware-chain';

const request = {} as Request;
const response = {} as Response;

type Use = NestMiddleware<Request, Response>['use'];
const step = (use: Use): NestMiddleware<Request, Response> => ({ use });

/** Runs the chain and resolves with what it handed the router: the error, or 'continued'. */
function run(steps: NestMiddleware<Request, Response>[]): Promise<unknown> {
  return new Promise((resolve) =>
    runInOrder(steps, request, response, (error?: unknown) => resolve(error ?? 'continued')),
  );
}

describe('runInOrder', () => {
  it('runs every step in order, then continues to the router', async () => {
    const seen: number[] = [];
    const steps = [1, 2, 3].map((n) =>
      step((_q, _s, next) => {
        seen.push(n);
        next();
      }),
    );
    await expect(run(steps)).resolves.toBe('continued');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('waits for an asynchronous step to call next before the one after it runs', async () => {
    const seen: string[] = [];
    const steps = [
      step(async (_q, _s, next) => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push('async');
        next();
      }),
      step((_q, _s, next) => (seen.push('after'), next())),
    ];
    await expect(run(steps)).resolves.toBe('continued');
    expect(seen).toEqual(['async', 'after']);
  });

  it('hands a thrown error, a rejection and next(error) to the router, skipping the rest', async () => {
    const failures: Use[] = [
      () => {
        throw new Error('thrown');
      },
      () => Promise.reject(new Error('rejected')),
      (_q, _s, next) => next(new Error('passed')),
    ];
    for (const failing of failures) {
      let later = false;
      const error = await run([step(failing), step(() => (later = true))]);
      expect(error).toBeInstanceOf(Error);
      expect(later).toBe(false);
    }
  });

  it('reports a rejection without a reason as an error, not as success', async () => {
    const error = await run([step(() => Promise.reject(undefined))]);
    expect(error).toBeInstanceOf(Error);
  });

  it('runs later steps and the error path inside the async context an earlier step entered', async () => {
    const scope = asyncScope<string>();
    let seenByLast: string | undefined;
    let seenOnError: string | undefined;
    const steps = [
      step((_q, _s, next) => scope.run('request-1', () => next())),
      step(async (_q, _s, next) => {
        await Promise.resolve();
        seenByLast = scope.current();
        next();
      }),
      step(() => Promise.reject(new Error('late'))),
    ];
    await new Promise<void>((resolve) =>
      runInOrder(steps, request, response, () => {
        seenOnError = scope.current();
        resolve();
      }),
    );
    expect(seenByLast).toBe('request-1');
    expect(seenOnError).toBe('request-1');
  });
});
