import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, getSchemaPath, OpenAPIObject } from '@nestjs/swagger';
import { CLOSED_VARIANTS } from './discriminated-body';

type Schema = Record<string, any>;

const PREFIX = '#/components/schemas/';

/** DTO names of bodies checked without whitelisting (see {@link ApiOpenBody}): left open. */
const OPEN_BODIES = new Set<string>();

/**
 * Documents a body that `model` checks without whitelisting: properties it does not declare are
 * kept as sent (an Istio object: Istio's API is larger than the DTO), so its schema and the
 * nested ones stay open. `also` states what validation holds beyond the DTO (a required name,
 * a rule across fields).
 */
export function ApiOpenBody(model: Type<object>, description: string, ...also: Schema[]) {
  OPEN_BODIES.add(model.name);
  const ref = { $ref: getSchemaPath(model) };
  return applyDecorators(
    ApiExtraModels(model),
    ApiBody({ description, schema: also.length ? { allOf: [ref, ...also] } : ref }),
  );
}

/** The component schemas a property or body refers to, directly, as array items or through allOf. */
function refsOf(property: Schema): string[] {
  return [property, property.items ?? {}, ...((property.allOf as Schema[] | undefined) ?? [])]
    .map((s: Schema) => s.$ref as string | undefined)
    .filter((ref): ref is string => typeof ref === 'string' && ref.startsWith(PREFIX));
}

/**
 * A body read as a DTO refuses properties it does not declare (the ValidationPipe's
 * forbidNonWhitelisted, nested DTOs included), so its schema says `additionalProperties: false`.
 * The variants of a discriminated body are read the same way and closed too. Open bodies
 * (ApiOpenBody: the Istio objects, kept as sent) and bodies documented another way (a merge
 * patch) stay open. Done on the finished document: the Swagger plugin has no class-level switch for it.
 */
export function closeDtoBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const closed = new Set<string>();
  const close = (ref: string): void => {
    const name = ref.slice(PREFIX.length);
    const schema = schemas[name];
    if (closed.has(name) || OPEN_BODIES.has(name)) return;
    if (schema?.type !== 'object' || !schema.properties) return;
    closed.add(name);
    schema.additionalProperties = false;
    for (const property of Object.values(schema.properties as Record<string, Schema>))
      refsOf(property).forEach(close);
  };
  for (const item of Object.values(document.paths))
    for (const operation of Object.values(item as Record<string, Schema>)) {
      const schema = operation?.requestBody?.content?.['application/json']?.schema;
      if (schema) refsOf(schema).forEach(close);
    }
  CLOSED_VARIANTS.forEach((name) => close(`${PREFIX}${name}`));
  return document;
}
