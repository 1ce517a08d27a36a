import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppError } from '../common/app-error';
import { fieldErrors, FieldError } from '../common/validation.pipe';
import { ISTIO_BODIES } from './istio-object.dto';
import { anyCase } from './istio-spec.dto';

const BODIES: Record<string, new () => object> = ISTIO_BODIES;
const CREDENTIAL_MODES = ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'];
const needsCredential = new Set(CREDENTIAL_MODES);
const nonEmpty = { type: 'string', minLength: 1 };
const HTTPS = anyCase(['HTTPS']).source;

/**
 * serverTlsErrors' rules as a schema of a Gateway body, for the document: an HTTPS server has
 * `tls`, and a TLS mode that needs a certificate names one. Where validation takes any truthy
 * value, the schema states the usual type (a non-empty string, an array).
 */
const GATEWAY_SERVER_RULES = {
  allOf: [
    {
      anyOf: [
        { required: ['tls'] },
        {
          properties: {
            port: { properties: { protocol: { not: { pattern: HTTPS } } } },
          },
        },
      ],
    },
    {
      properties: {
        tls: {
          anyOf: [
            { properties: { mode: { not: { enum: CREDENTIAL_MODES } } } },
            { required: ['credentialName'], properties: { credentialName: nonEmpty } },
            {
              required: ['serverCertificate', 'privateKey'],
              properties: { serverCertificate: nonEmpty, privateKey: nonEmpty },
            },
            { required: ['credentialNames'], properties: { credentialNames: { type: 'array' } } },
          ],
        },
      },
    },
  ],
};

/** What validation holds of a kind's body beyond its DTO, as schemas for the document. */
export const ISTIO_BODY_RULES: Record<string, object[]> = {
  Gateway: [{ properties: { spec: { properties: { servers: { items: GATEWAY_SERVER_RULES } } } } }],
  VirtualService: [],
  DestinationRule: [],
};

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
      needsCredential.has(tls.mode) &&
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
