import { z } from 'zod';
import {
  CLUSTER_REF_RULE,
  DNS_LABEL_RULE,
  FINDING_CODE_RULE,
  FINDING_ID_RULE,
  InputRule,
  KIND_NAME_RULE,
  KIND_REF_RULE,
  LABEL_SELECTOR_RULE,
  OBJECT_NAME_RULE,
  ruleProblem,
  SINCE_RULE,
} from '../../common/input-vocabulary';

/**
 * A tool argument held to a rule of the input vocabulary, the one the HTTP routes use: the model
 * is offered its pattern and length, and a value is refused with the route's own words.
 */
export function fromRule(rule: InputRule, field: string) {
  const error = (issue: { input?: unknown }) => ruleProblem(rule, field, issue.input) ?? undefined;
  const schema = z
    .string()
    .max(rule.maxLength, { error, abort: true })
    .regex(rule.pattern, { error });
  const grammar = rule.grammar;
  return grammar ? schema.refine((value) => grammar(value) === null, { error }) : schema;
}

export const clusterRef = fromRule(CLUSTER_REF_RULE, 'clusterId');
export const namespace = fromRule(DNS_LABEL_RULE, 'namespace');
export const containerName = fromRule(DNS_LABEL_RULE, 'container');
export const kindRef = fromRule(KIND_REF_RULE, 'kind').describe(
  'Kind, plural or plural.group, e.g. pods, Deployment, virtualservices.networking.istio.io',
);
export const kindName = (field: string) => fromRule(KIND_NAME_RULE, field);
export const objectName = (field: string) => fromRule(OBJECT_NAME_RULE, field);
export const labelSelector = fromRule(LABEL_SELECTOR_RULE, 'labelSelector').describe(
  'Label selector, as kubectl -l, e.g. app=web,tier!=db',
);
export const findingCode = fromRule(FINDING_CODE_RULE, 'code');
export const findingId = fromRule(FINDING_ID_RULE, 'findingId');
export const since = fromRule(SINCE_RULE, 'since').describe('e.g. 15m, 2h');
export const reason = z
  .string()
  .min(3)
  .max(1000)
  .describe('Why this change fixes the problem, in the user language; shown to the approver');
