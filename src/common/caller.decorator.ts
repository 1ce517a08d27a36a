import { createParamDecorator } from '@nestjs/common';
import { AppError } from './app-error';
import { Principal, requestContext } from './request-context';

/** The authenticated principal of this request (the guard has put it in the request context). */
export const Caller = createParamDecorator((): Principal => {
  const principal = requestContext.current()?.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'No authenticated principal');
  return principal;
});
