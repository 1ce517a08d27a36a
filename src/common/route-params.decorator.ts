import { applyDecorators, Param, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { AppError } from './app-error';
import { ApiParam } from '@nestjs/swagger';
import { InputRulePipe } from './input-rule.pipe';
import {
  CLUSTER_REF_RULE,
  InputRule,
  KIND_REF_RULE,
  OBJECT_NAME_RULE,
  ruleSchema,
} from './input-vocabulary';
import { FollowsRule } from './k8s-validators';

/**
 * A path parameter taken through `pipe` and documented with `schema`: the decorator that pairs
 * them, so the document says what validation enforces.
 */
export function DocumentedParam(
  name: string,
  pipe: PipeTransform,
  schema: Record<string, unknown>,
): ParameterDecorator {
  return (target, key, index) => {
    Param(name, pipe)(target, key!, index);
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name, required: true, schema })(target, key!, descriptor);
  };
}

/** A path parameter held to a rule of the input vocabulary and documented with the same rule. */
export const RuleParam = (name: string, rule: InputRule) =>
  DocumentedParam(name, new InputRulePipe(name, rule), ruleSchema(rule));

/** `:clusterId`: a cluster's id (UUID) or name. */
export const ClusterIdParam = () => RuleParam('clusterId', CLUSTER_REF_RULE);

/** `:kind`: a plural, a kind or plural.group. */
export const KindParam = () => RuleParam('kind', KIND_REF_RULE);

/** `:name` (or another name-like segment): an object's name. */
export const NameParam = (name = 'name') => RuleParam(name, OBJECT_NAME_RULE);

/** `:id` (or another name) of a stored record: a UUID, else a 400, never a lookup. */
export const UuidParam = (name = 'id') =>
  DocumentedParam(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new AppError('VALIDATION_FAILED', 'Request validation failed', [
          { field: name, errors: [`${name} must be a UUID`] },
        ]),
    }),
    { type: 'string', format: 'uuid' },
  );

const PATH_RULES = 'cloudpilot:path-rules';

/** A field of a path DTO (PathParams): held to `rule` and documented with it. */
export function PathField(rule: InputRule): PropertyDecorator {
  const remember: PropertyDecorator = (target, key) => {
    const known: [string, InputRule][] = Reflect.getMetadata(PATH_RULES, target) ?? [];
    Reflect.defineMetadata(PATH_RULES, [...known, [String(key), rule]], target);
  };
  return applyDecorators(FollowsRule(rule), remember);
}

/**
 * Every path parameter of a route as one DTO whose fields are PathFields (e.g. ObjectPathDto):
 * checked by the global validation pipe, and documented parameter by parameter, in place, with
 * the same schemas as RuleParam gives. `pipes` run on the DTO after validation.
 */
export function PathParams(...pipes: PipeTransform[]): ParameterDecorator {
  return (target, key, index) => {
    Param(...pipes)(target, key!, index);
    const dto = Reflect.getMetadata('design:paramtypes', target, key!)[index] as {
      prototype: object;
    };
    const rules: [string, InputRule][] = Reflect.getMetadata(PATH_RULES, dto.prototype) ?? [];
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key!)!;
    for (const [name, rule] of rules)
      ApiParam({ name, required: true, schema: ruleSchema(rule) })(target, key!, descriptor);
  };
}
