import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorEnvelope } from './envelope';
import { mapError } from './http-error-mapping';
import { requestContext, requestIdFrom } from './request-context';

/** Turns every error into the error envelope; unexpected ones are logged and answered generically. */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const context = requestContext.current();
    const requestId = context?.requestId ?? requestIdFrom(request.headers['x-request-id']);
    const mapped = mapError(error, Boolean(request.route));
    if (mapped.unexpected) this.logger.error({ err: error, requestId }, 'unhandled error');
    if (context) context.resultCode = mapped.code;
    if (response.headersSent) {
      // A streamed response already started; the only honest thing left is to end it.
      response.end();
      return;
    }
    response.setHeader('X-Request-Id', requestId);
    for (const [name, value] of Object.entries(mapped.headers ?? {}))
      response.setHeader(name, value);
    response
      .status(mapped.status)
      .json(errorEnvelope(mapped.code, mapped.message, requestId, mapped.details));
  }
}
