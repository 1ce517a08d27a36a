import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiOpenBody, closeDtoBodies } from './openapi-bodies';

class KeptBodyDto {}

const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const bodyOf = (schema: unknown) => ({
  requestBody: { content: { 'application/json': { schema } } },
});

function documentWith(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/kept': { post: bodyOf({ allOf: [ref('KeptBodyDto'), { required: ['spec'] }] }) },
      '/strict': { post: bodyOf(ref('StrictBodyDto')) },
    },
    components: {
      schemas: {
        KeptBodyDto: object({ spec: ref('KeptSpecDto') }),
        KeptSpecDto: object({ host: { type: 'string' } }),
        StrictBodyDto: object({ spec: ref('StrictSpecDto') }),
        StrictSpecDto: object({ host: { type: 'string' } }),
      },
    },
  } as unknown as OpenAPIObject;
}

describe('closeDtoBodies', () => {
  ApiOpenBody(KeptBodyDto, 'kept as sent');
  const schemas = closeDtoBodies(documentWith()).components!.schemas as Record<string, any>;

  it('closes a DTO body and the DTOs it nests', () => {
    expect([
      schemas.StrictBodyDto.additionalProperties,
      schemas.StrictSpecDto.additionalProperties,
    ]).toEqual([false, false]);
  });

  it('leaves an open body (ApiOpenBody) and the DTOs it nests open, even through allOf', () => {
    expect([
      schemas.KeptBodyDto.additionalProperties,
      schemas.KeptSpecDto.additionalProperties,
    ]).toEqual([undefined, undefined]);
  });
});
