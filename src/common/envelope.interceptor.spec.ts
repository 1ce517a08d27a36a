import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import { EnvelopeInterceptor } from './envelope.interceptor';
import { RequestContext, requestContext } from './request-context';
import { SerializedAnswer } from './serialized-answer';

function call(answer: unknown, ctx: RequestContext, query: Record<string, string> = {}) {
  const headers: Record<string, string> = {};
  const request = { path: '/api/v1/clusters/a/overview', headers: {}, query };
  const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
  const context = {
    getHandler: () => call,
    getClass: () => EnvelopeInterceptor,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => of(answer) };
  const interceptor = new EnvelopeInterceptor(new Reflector());
  const body = requestContext.run(ctx, () => lastValueFrom(interceptor.intercept(context, next)));
  return { body, headers };
}

const base = (): RequestContext => ({ requestId: 'r-1', method: 'GET', path: '/api/v1/x' });

describe('EnvelopeInterceptor with a serialized answer', () => {
  const value = { items: [{ namespace: 'a' }, { namespace: 'b' }] };

  it('sends the envelope as text around the JSON made once, as JSON', async () => {
    const ctx = base();
    const { body, headers } = call(new SerializedAnswer(value), ctx);
    const text = (await body) as string;
    expect(typeof text).toBe('string');
    expect(JSON.parse(text)).toMatchObject({ success: true, code: 'OK', data: value });
    expect(JSON.parse(text).requestId).toBe('r-1');
    expect(headers['Content-Type']).toBe('application/json');
    expect(ctx.resultCode).toBe('OK');
  });

  it("trims the value itself when the caller's grants restrict what it sees", async () => {
    const ctx: RequestContext = {
      ...base(),
      visible: (data) => ({ items: (data as typeof value).items.slice(0, 1) }),
    };
    const { body, headers } = call(new SerializedAnswer(value), ctx);
    expect(await body).toMatchObject({ success: true, data: { items: [{ namespace: 'a' }] } });
    expect(headers).toEqual({});
  });
});

describe('EnvelopeInterceptor and the query-parameter rule', () => {
  it('refuses a query parameter the operation does not declare, before the handler runs', () => {
    let handled = false;
    const request = { path: '/api/v1/clusters/a/overview', headers: {}, query: { surprise: '1' } };
    const context = {
      getHandler: () => call,
      getClass: () => EnvelopeInterceptor,
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
    } as unknown as ExecutionContext;
    const next: CallHandler = { handle: () => ((handled = true), of(null)) };
    const interceptor = new EnvelopeInterceptor(new Reflector());
    expect(() => interceptor.intercept(context, next)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(handled).toBe(false);
  });
});
