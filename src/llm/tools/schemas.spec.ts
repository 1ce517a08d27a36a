import { DNS_LABEL_RULE, LABEL_SELECTOR_RULE, ruleProblem } from '../../common/input-vocabulary';
import { fromRule, labelSelector, namespace } from './schemas';

const issues = (schema: ReturnType<typeof fromRule>, value: unknown) =>
  schema.safeParse(value).error?.issues.map((i) => i.message) ?? [];

describe('tool argument schemas', () => {
  it('refuse with the words of the rule the routes use', () => {
    for (const value of ['Web', 'a'.repeat(64)])
      expect(issues(namespace, value)).toEqual([ruleProblem(DNS_LABEL_RULE, 'namespace', value)]);
    expect(issues(labelSelector, 'app in (web')).toEqual([
      ruleProblem(LABEL_SELECTOR_RULE, 'labelSelector', 'app in (web'),
    ]);
    expect(issues(namespace, 'web')).toEqual([]);
  });

  it("offer the model the rule's pattern and length", () => {
    expect(namespace.toJSONSchema()).toMatchObject({
      type: 'string',
      pattern: DNS_LABEL_RULE.pattern.source,
      maxLength: 63,
    });
  });
});
