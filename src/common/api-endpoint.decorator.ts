import { applyDecorators, HttpCode, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { byStatus, errorResponse } from './openapi-errors';
import { RequireRole } from './roles';
import { ACCESS_EXTENSION, AccessRule, RequireAccess } from './access-rule';
import type { Role } from './request-context';
import { codesOf, ErrorCode, ErrorFamily } from './error-codes';
import { EnvelopeDto, ErrorEnvelopeDto, FieldErrorDto } from './envelope.dto';
import { sseDescription, sseMediaType, sseModels, SseStreamSpec } from './sse-events';
import { RawResponse } from './envelope.interceptor';

export interface EndpointSpec {
  summary: string;
  /** Least role needed; defaults to viewer. */
  role?: Role;
  /** How the caller's grants scope this route (access-rule.ts); every route states one. */
  access: AccessRule;
  /** DTO carried in `data`; omit for `data: null`. */
  response?: Type<unknown>;
  isArray?: boolean;
  status?: 200 | 201 | 202 | 204;
  /** Error codes this route can return besides the ones every authenticated route can. */
  errors?: ErrorCode[];
  /** Whole families of the catalogue this route can answer, e.g. `connection` for kubeconfig input. */
  errorFamilies?: ErrorFamily[];
  /** A success that is not JSON (a download): documented as this content type, marked x-raw-response and left unenveloped. Errors stay enveloped. */
  rawContentType?: string;
  /** A Server-Sent Events stream (`text/event-stream`, raw): its events and comment lines. */
  sse?: SseStreamSpec;
}

const ALWAYS: ErrorCode[] = [
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'TOKEN_AUDIENCE_INVALID',
  'TOKEN_ISSUER_UNKNOWN',
  'TOKEN_KEY_UNKNOWN',
  'TOKEN_ALGORITHM_REFUSED',
  'TOKEN_SIGNATURE_INVALID',
  'TOKEN_NO_GRANTS',
  'FORBIDDEN',
  'INTERNAL_ERROR',
];

/** Rules under which the caller's grants can hide the answer: it is then a 404. */
const HIDING: ReadonlySet<AccessRule> = new Set([
  'cluster',
  'namespaces',
  'namespaced',
  'cluster-wide',
]);

function dataSchema(spec: EndpointSpec): Record<string, unknown> {
  if (!spec.response) return { type: 'object', nullable: true, example: null };
  const ref = { $ref: getSchemaPath(spec.response) };
  return spec.isArray ? { type: 'array', items: ref } : ref;
}

/**
 * Declares an /api endpoint once: its role, its OpenAPI summary, the success envelope around its
 * DTO, and every error envelope it can answer with, grouped by HTTP status. Codes every route
 * answers by its shape (validation, the body parser) are added to the finished document from the
 * catalogue's families (openapi-errors.ts).
 */
export function ApiEndpoint(spec: EndpointSpec): MethodDecorator & ClassDecorator {
  const status = spec.status ?? 200;
  const codes = [
    ...ALWAYS,
    ...(HIDING.has(spec.access) ? (['OUT_OF_SCOPE'] as ErrorCode[]) : []),
    ...(spec.errors ?? []),
    ...(spec.errorFamilies ?? []).flatMap(codesOf),
  ];
  const errorResponses = [...byStatus(codes)].map(([errorStatus, grouped]) =>
    ApiResponse({ status: errorStatus, ...errorResponse(grouped) }),
  );
  return applyDecorators(
    RequireRole(spec.role ?? 'viewer'),
    RequireAccess(spec.access),
    HttpCode(status),
    ApiBearerAuth(),
    ApiExtension(ACCESS_EXTENSION, spec.access),
    ApiOperation({
      summary: spec.summary,
      description: `Requires the ${spec.role ?? 'viewer'} role. Access: ${spec.access}.`,
    }),
    ApiExtraModels(
      EnvelopeDto,
      ErrorEnvelopeDto,
      FieldErrorDto,
      ...(spec.response ? [spec.response] : []),
      ...sseModels(spec.sse),
    ),
    successResponse(spec, status),
    ...errorResponses,
  );
}

/** What every cluster-scoped route can answer: its `:clusterId` refused, or no such cluster. */
const CLUSTER_LOOKUP: ErrorCode[] = ['VALIDATION_FAILED', 'CLUSTER_NOT_FOUND'];

/** What a route that asks the cluster's API server (not only a cache) can answer besides. */
const API_SERVER: ErrorCode[] = [
  'CLUSTER_UNREACHABLE',
  'CLUSTER_TIMEOUT',
  'CLUSTER_AUTH_FAILED',
  'K8S_FORBIDDEN',
];

export interface ClusterEndpointSpec extends EndpointSpec {
  /** True when the route asks the API server: its connection and authorisation failures. */
  live?: boolean;
}

/**
 * An endpoint under /clusters/:clusterId: ApiEndpoint with the cluster lookup's errors (and the
 * API server's, for a live route) stated once. Its `:clusterId` is taken with ClusterIdParam().
 */
export function ClusterEndpoint(spec: ClusterEndpointSpec): MethodDecorator & ClassDecorator {
  const { live, errors, ...rest } = spec;
  return ApiEndpoint({
    ...rest,
    errors: [...CLUSTER_LOOKUP, ...(live ? API_SERVER : []), ...(errors ?? [])],
  });
}

/** What one route adds to the spec its controller's routes share: what differs, never the summary. */
export type OwnSpec<S extends EndpointSpec> = Omit<Partial<S>, 'summary'>;

/** A decorator for the routes of one controller that share part of their spec (`.with`). */
export type SharedEndpoint<S extends EndpointSpec> = (
  summary: string,
  own?: OwnSpec<S>,
) => MethodDecorator & ClassDecorator;

/**
 * The routes of a controller that share access, role, liveness, response or errors state that
 * part once; each route then gives its summary and only what differs. Its errors come after the
 * shared ones (the document lists them in that order); anything else it gives wins.
 */
function sharing<S extends EndpointSpec>(
  endpoint: (spec: S) => MethodDecorator & ClassDecorator,
  shared: Partial<S>,
): SharedEndpoint<S> {
  return (summary, own) => {
    const errors = [...(shared.errors ?? []), ...(own?.errors ?? [])];
    const spec = { ...shared, ...own, summary, errors } as unknown as S;
    if (!spec.access) throw new Error(`Route "${summary}" states no access rule`);
    return endpoint(spec);
  };
}

ApiEndpoint.with = (shared: Partial<EndpointSpec>) => sharing(ApiEndpoint, shared);
ClusterEndpoint.with = (shared: Partial<ClusterEndpointSpec>) => sharing(ClusterEndpoint, shared);

/**
 * The success response: the envelope around the DTO, or a raw body (a stream, a download), which
 * the envelope interceptor then leaves as it is: the document and the behaviour from one spec.
 */
function successResponse(spec: EndpointSpec, status: number): MethodDecorator & ClassDecorator {
  if (!spec.sse && !spec.rawContentType)
    return ApiResponse({
      status,
      description: 'Success envelope',
      schema: {
        allOf: [{ $ref: getSchemaPath(EnvelopeDto) }, { properties: { data: dataSchema(spec) } }],
      },
    });
  const raw = spec.sse
    ? {
        description: sseDescription(spec.sse),
        content: { 'text/event-stream': sseMediaType(spec.sse) },
      }
    : {
        description: `Raw ${spec.rawContentType} body (not enveloped)`,
        content: { [spec.rawContentType!]: { schema: { type: 'string' } } },
      };
  return applyDecorators(
    RawResponse(),
    ApiExtension('x-raw-response', true),
    ApiResponse({ status, ...raw }),
  );
}
