import type { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Runs middlewares in order as ONE router layer. Mounted one by one, each middleware was its own
 * layer on `{*path}`: per request the router matched and decoded that wildcard and trimmed and
 * restored the URL six times, and Nest wrapped each in an async proxy and a per-request WeakSet,
 * about a tenth of an overview request's CPU. Each step keeps the contract of an Express
 * middleware: it continues with `next()`, ends the chain with `next(error)`, and an error it
 * throws or rejects with goes on as `next(error)` (as Express does for a middleware of its own),
 * to the exception layer and so the envelope, still inside the async context the steps before it
 * entered (the request id).
 */
export function runInOrder(
  steps: readonly NestMiddleware<Request, Response>[],
  request: Request,
  response: Response,
  done: NextFunction,
): void {
  const from =
    (index: number): NextFunction =>
    (error?: unknown) => {
      if (error !== undefined && error !== null) return done(error);
      if (index === steps.length) return done();
      let result: unknown;
      try {
        result = steps[index].use(request, response, from(index + 1));
      } catch (thrown) {
        return done(thrown);
      }
      if (result instanceof Promise)
        result.catch((rejected: unknown) => done(rejected ?? new Error('Rejected promise')));
    };
  from(0)();
}
