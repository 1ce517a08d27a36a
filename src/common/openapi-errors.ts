import type { OpenAPIObject } from '@nestjs/swagger';
import { getSchemaPath } from '@nestjs/swagger';
import { codesOf, ERROR_CATALOGUE, ErrorCode } from './error-codes';
import { ErrorEnvelopeDto } from './envelope.dto';

type Responses = Record<string, Record<string, any>>;

/** One documented error response: the error envelope whose code is one of `codes` (same status). */
export function errorResponse(codes: ErrorCode[]): Record<string, unknown> {
  return {
    description: codes.map((c) => `${c}: ${ERROR_CATALOGUE[c].description}`).join('; '),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: getSchemaPath(ErrorEnvelopeDto) },
            { properties: { code: { type: 'string', enum: codes } } },
          ],
        },
      },
    },
  };
}

/** Codes grouped by their HTTP status, in the order given, without duplicates. */
export function byStatus(codes: ErrorCode[]): Map<number, ErrorCode[]> {
  const grouped = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const list = grouped.get(ERROR_CATALOGUE[code].status) ?? [];
    if (!list.includes(code)) list.push(code);
    grouped.set(ERROR_CATALOGUE[code].status, list);
  }
  return grouped;
}

function documentedCodes(response: Record<string, any> | undefined): ErrorCode[] {
  const schema = response?.content?.['application/json']?.schema;
  return (schema?.allOf?.[1]?.properties?.code?.enum as ErrorCode[] | undefined) ?? [];
}

/**
 * Adds the codes an operation answers by its shape, read from the catalogue's families: the
 * `request` family on every /api operation, the `body` family on every one with a request body.
 * Done on the finished document because only there is the HTTP method and body of each route
 * known; routes added later are covered without listing anything.
 */
export function documentErrorFamilies(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const operation of Object.values(item as Record<string, any>)) {
      if (!operation?.responses) continue;
      const shapeCodes = [...codesOf('request'), ...(operation.requestBody ? codesOf('body') : [])];
      addCodes(operation.responses as Responses, shapeCodes);
    }
  }
  return document;
}

function addCodes(responses: Responses, codes: ErrorCode[]): void {
  for (const [status, extra] of byStatus(codes)) {
    const current = responses[String(status)];
    if (current && !documentedCodes(current).length) continue; // a success or raw response
    responses[String(status)] = errorResponse([
      ...new Set([...documentedCodes(current), ...extra]),
    ]);
  }
}
