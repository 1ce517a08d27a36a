import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  CLUSTER_REF_RULE,
  DNS_LABEL_RULE,
  LABEL_SELECTOR_RULE,
  OBJECT_NAME_RULE,
  ruleProblem,
  ruleSchema,
} from './input-vocabulary';
import { IsK8sNamespace, IsLabelSelector } from './k8s-validators';
import { IsQueryFlag } from './query-flag.decorator';

class Query {
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  @IsLabelSelector()
  labelSelector?: string;

  @IsQueryFlag()
  dryRun?: boolean;
}

const messages = (plain: Record<string, unknown>) =>
  validateSync(plainToInstance(Query, plain)).flatMap((e) => Object.values(e.constraints ?? {}));

describe('the input vocabulary', () => {
  it('names the field and what it must be, the same words for every edge', () => {
    expect(ruleProblem(DNS_LABEL_RULE, 'namespace', 'web')).toBeNull();
    expect(ruleProblem(DNS_LABEL_RULE, 'namespace', 'Web')).toBe(
      'namespace must be a DNS-1123 label',
    );
    expect(ruleProblem(DNS_LABEL_RULE, 'namespace', 'a'.repeat(64))).toBe(
      'namespace must be shorter than or equal to 63 characters',
    );
    expect(ruleProblem(DNS_LABEL_RULE, 'namespace', 7)).toBe('namespace must be a string');
  });

  it('holds selectors to the Kubernetes grammar beyond their characters', () => {
    expect(ruleProblem(LABEL_SELECTOR_RULE, 'labelSelector', 'app=web,tier!=db')).toBeNull();
    expect(ruleProblem(LABEL_SELECTOR_RULE, 'labelSelector', 'app in (web')).toMatch(
      /^labelSelector is not valid: /,
    );
    expect(ruleProblem(LABEL_SELECTOR_RULE, 'labelSelector', 'app=wéb')).toBe(
      'labelSelector must be printable ASCII',
    );
  });

  it('takes RBAC names and either case of a cluster name, as the API server and the registry do', () => {
    expect(ruleProblem(OBJECT_NAME_RULE, 'name', 'system:aggregate-to-view')).toBeNull();
    expect(ruleProblem(OBJECT_NAME_RULE, 'name', '..')).not.toBeNull();
    expect(ruleProblem(CLUSTER_REF_RULE, 'clusterId', 'Prod-EU')).toBeNull();
    expect(
      ruleProblem(CLUSTER_REF_RULE, 'clusterId', '0b7f8a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'),
    ).toBeNull();
    expect(ruleProblem(CLUSTER_REF_RULE, 'clusterId', 'prod_eu')).not.toBeNull();
  });

  it('documents each rule as the pattern and length it enforces', () => {
    expect(ruleSchema(DNS_LABEL_RULE)).toEqual({
      type: 'string',
      pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
      maxLength: 63,
    });
    // Flag-free, so the document's pattern means what the rule means.
    for (const rule of [DNS_LABEL_RULE, CLUSTER_REF_RULE, OBJECT_NAME_RULE, LABEL_SELECTOR_RULE])
      expect(rule.pattern.flags).toBe('');
  });

  it('gives DTO validation the rule words, and turns query flags into booleans', () => {
    expect(messages({ namespace: 'web', labelSelector: 'app=web', dryRun: 'true' })).toEqual([]);
    expect(messages({ namespace: 'Web' })).toEqual(['namespace must be a DNS-1123 label']);
    expect(messages({ labelSelector: 'app=wéb' })).toEqual([
      'labelSelector must be printable ASCII',
    ]);
    expect(messages({ dryRun: 'yes' })).toEqual(['dryRun must be true or false']);
    expect(plainToInstance(Query, { dryRun: 'false' }).dryRun).toBe(false);
  });
});
