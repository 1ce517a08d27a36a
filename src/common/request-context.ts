import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface Principal {
  name: string;
  role: Role;
  tokenId: string | null;
}

export type Role = 'viewer' | 'operator' | 'admin';

/** Per-request facts shared by logging, auth, audit and metrics without threading them through calls. */
export interface RequestContext {
  requestId: string;
  method: string;
  path: string;
  route?: string;
  principal?: Principal;
  resultCode?: string;
  /** Extra facts for this request's audit row (e.g. the LLM session an approval came from). */
  auditNote?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
};

const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id is honoured only when it cannot inject anything into logs or headers. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && WELL_FORMED_REQUEST_ID.test(value) ? value : randomUUID();
}
