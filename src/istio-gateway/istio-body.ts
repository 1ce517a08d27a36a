import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError } from '../common/app-error';
import { fieldErrors, FieldError } from '../common/validation.pipe';
import { ISTIO_BODIES } from './istio-object.dto';

const BODIES: Record<string, new () => object> = ISTIO_BODIES;
const CREDENTIAL_MODES = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);

/**
 * Checks an Istio object against its typed DTO without whitelisting: the DTO's fields must be
 * valid (a `kind` only the route's, an `apiVersion` only of the kind's group), and every field it
 * does not declare is kept as sent (Istio's API is larger). Returns one
 * entry per invalid field; pure, so unit-testable without Nest.
 */
export function checkIstioBody(kind: string, body: unknown): FieldError[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [{ field: 'body', errors: ['body must be a JSON object'] }];
  const instance = plainToInstance(BODIES[kind], body);
  const errors = fieldErrors(
    validateSync(instance, {
      whitelist: false,
      forbidNonWhitelisted: false,
      forbidUnknownValues: false,
    }),
  );
  return [...errors, ...serverTlsErrors(kind, body as Record<string, any>)];
}

/** What Istio's own validation refuses: an HTTPS server without TLS settings, or a TLS mode that needs a certificate without one. */
function serverTlsErrors(kind: string, body: Record<string, any>): FieldError[] {
  if (kind !== 'Gateway' || !Array.isArray(body.spec?.servers)) return [];
  return body.spec.servers.flatMap((server: any, i: number) => {
    const https =
      typeof server?.port?.protocol === 'string' && server.port.protocol.toUpperCase() === 'HTTPS';
    const tls = server?.tls;
    if (https && !tls)
      return [{ field: `spec.servers.${i}.tls`, errors: ['an HTTPS server needs tls settings'] }];
    const needsCert =
      tls &&
      CREDENTIAL_MODES.has(tls.mode) &&
      !tls.credentialName &&
      !(tls.serverCertificate && tls.privateKey) &&
      !tls.credentialNames;
    return needsCert
      ? [
          {
            field: `spec.servers.${i}.tls.credentialName`,
            errors: [
              `tls mode ${tls.mode} needs credentialName (or serverCertificate and privateKey)`,
            ],
          },
        ]
      : [];
  });
}

export function assertIstioBody(kind: string, body: unknown): void {
  const errors = checkIstioBody(kind, body);
  if (errors.length) throw new AppError('VALIDATION_FAILED', 'Request validation failed', errors);
}
