import { fieldSelectorProblem, labelSelectorProblem } from './selector-grammar';

describe('labelSelectorProblem (the apimachinery label selector grammar)', () => {
  it.each([
    '',
    'app',
    '!app',
    'app=web',
    'app==web',
    'app!=web',
    'app=',
    'app = web , tier != db',
    'env in (prod, staging)',
    'env notin (a,,b,)',
    'env in ()',
    'in=in',
    'example.com/app=web',
    'replicas>2',
    'replicas < 10',
    'app,!tier,env in (x)',
  ])('accepts %j', (selector) => {
    expect(labelSelectorProblem(selector)).toBeNull();
  });

  it.each([
    ['app=web,', /expected a key after ","/],
    ['=web', /expected "!", a key or the end/],
    ['app web', /expected an operator/],
    ['!app=web', /expected "," or the end/],
    ['env in (a b)', /expected "," or "\)"/],
    ['env in a', /expected "\("/],
    ['env in (a', /expected "," or "\)"/],
    // Gt/Lt values are label values too, so negative numbers cannot be written.
    ['replicas < -1', /not a label value/],
    ['a/b/c=x', /more than one "\/"/],
    ['Example.com/app=x', /prefix that is not a DNS subdomain/],
    [`${'a'.repeat(64)}=x`, /not a qualified name/],
    ['app=we b', /expected "," or the end/],
    ['app=-web', /not a label value/],
    ['replicas>two', /needs an integer/],
    ['replicas>99999999999999999999', /needs an integer/],
    ['app=(', /expected a value/],
  ])('refuses %j', (selector, problem) => {
    expect(labelSelectorProblem(selector as string)).toMatch(problem as RegExp);
  });
});

describe('fieldSelectorProblem (the apimachinery field selector grammar)', () => {
  it.each([
    '',
    'status.phase=Running',
    'status.phase==Running,spec.nodeName!=kwok-node-0',
    'metadata.name=a\\,b\\=c\\\\d',
    'spec.nodeName=',
    'metadata.name=with space',
  ])('accepts %j', (selector) => {
    expect(fieldSelectorProblem(selector)).toBeNull();
  });

  it.each([
    ['status.phase', /has no operator/],
    ['=Running', /is not a field path/],
    ['status phase=Running', /is not a field path/],
    ['metadata.name=a=b', /unescaped "="/],
    ['metadata.name=a\\x', /invalid escape/],
    ['metadata.name=a\\', /unterminated escape/],
  ])('refuses %j', (selector, problem) => {
    expect(fieldSelectorProblem(selector)).toMatch(problem);
  });
});
