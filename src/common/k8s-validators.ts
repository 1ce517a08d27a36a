import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { IsIntegerIn } from './integer.decorator';
import {
  CONTINUE_TOKEN_RULE,
  DNS_LABEL_RULE,
  FIELD_SELECTOR_RULE,
  InputRule,
  KIND_NAME_RULE,
  LABEL_SELECTOR_RULE,
  OBJECT_NAME_RULE,
  ruleProblem,
  ruleSchema,
} from './input-vocabulary';

/**
 * Validation of Kubernetes domain primitives, one named decorator each, so every DTO says the
 * same; each is a rule of the input vocabulary, which the tools' schemas are built from as well.
 */
export function FollowsRule(rule: InputRule, options: { optional?: boolean } = {}) {
  const optional = options.optional === true;
  return applyDecorators(
    ...(optional ? [IsOptional()] : []),
    ValidateBy({
      name: 'inputRule',
      validator: {
        validate: (value: unknown, args) => ruleProblem(rule, args!.property, value) === null,
        defaultMessage: (args) => ruleProblem(rule, args!.property, args!.value) ?? '',
      },
    }),
    // The Swagger plugin cannot see through a composite decorator, so the schema is declared here.
    ApiProperty({ ...ruleSchema(rule), required: !optional, type: String }),
  );
}

type Optional = { optional?: boolean };

/** A namespace name: a DNS-1123 label. */
export const IsK8sNamespace = (options: Optional = {}) => FollowsRule(DNS_LABEL_RULE, options);

/** A container name: a DNS-1123 label. */
export const IsK8sContainerName = (options: Optional = {}) => FollowsRule(DNS_LABEL_RULE, options);

/** A kind's name alone, e.g. Deployment. */
export const IsK8sKindName = (options: Optional = {}) => FollowsRule(KIND_NAME_RULE, options);

/** An object's name (RBAC names with ":" included). */
export const IsK8sObjectName = (options: Optional = {}) => FollowsRule(OBJECT_NAME_RULE, options);

/**
 * An optional label selector, as kubectl -l (e.g. app=web,tier!=db). Parsed here with the
 * Kubernetes grammar, so an unparsable selector is a 400 naming the field, decided before any
 * request reaches the cluster.
 */
export const IsLabelSelector = () => FollowsRule(LABEL_SELECTOR_RULE, { optional: true });

/** An optional field selector, as kubectl --field-selector (e.g. status.phase=Running). */
export const IsFieldSelector = () => FollowsRule(FIELD_SELECTOR_RULE, { optional: true });

/** An optional page size for a Kubernetes LIST: 1–500 (the API server's own pages are 500 at most here). */
export const IsPageLimit = () => IsIntegerIn(1, 500, { optional: true, query: true });

/** An optional `continue` token of a previous page, passed through to the API server. */
export const IsContinueToken = () => FollowsRule(CONTINUE_TOKEN_RULE, { optional: true });
