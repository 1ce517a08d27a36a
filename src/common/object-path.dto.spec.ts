import { Controller, Get } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CLUSTER_REF_RULE, KIND_REF_RULE, OBJECT_NAME_RULE, ruleSchema } from './input-vocabulary';
import { NamedPathDto, ObjectPathDto } from './object-path.dto';
import { PathParams, RuleParam } from './route-params.decorator';

// Where @nestjs/swagger keeps a route's explicit parameters (its DECORATORS.API_PARAMETERS).
const API_PARAMETERS = 'swagger/apiParameters';

@Controller('clusters/:clusterId/resources')
class Routes {
  @Get(':kind/:name')
  whole(@PathParams() _at: ObjectPathDto): void {}

  @Get(':kind/:name')
  apart(
    @RuleParam('clusterId', CLUSTER_REF_RULE) _clusterId: string,
    @RuleParam('kind', KIND_REF_RULE) _kind: string,
    @RuleParam('name', OBJECT_NAME_RULE) _name: string,
  ): void {}
}

const parameters = (method: keyof Routes) =>
  Reflect.getMetadata(API_PARAMETERS, Routes.prototype[method]) as { name: string }[];
const byName = (list: { name: string }[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
const problems = (dto: new () => object, plain: object) =>
  validateSync(plainToInstance(dto, plain)).map((e) => [e.property, Object.values(e.constraints!)]);

describe('PathParams with the object path DTOs', () => {
  it('documents each path parameter with the schema RuleParam gives it', () => {
    expect(byName(parameters('whole'))).toEqual(byName(parameters('apart')));
    expect(parameters('whole').find((p) => p.name === 'kind')).toMatchObject({
      in: 'path',
      required: true,
      schema: ruleSchema(KIND_REF_RULE),
    });
  });

  it('accepts a good path and names each refused field with its rule’s message', () => {
    expect(problems(ObjectPathDto, { clusterId: 'kind-a', kind: 'pods', name: 'web-0' })).toEqual(
      [],
    );
    const refused = problems(NamedPathDto, { clusterId: 'not a cluster!', name: '..' });
    expect(refused.map(([field]) => field)).toEqual(['clusterId', 'name']);
    expect(refused[0][1]).toEqual([expect.stringContaining('clusterId')]);
  });
});
