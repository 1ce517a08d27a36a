import { AppError } from '../common/app-error';
import { budgetViolation, inNamespace } from './object-errors';

function thrown(fn: () => never): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('inNamespace', () => {
  it("adds the call's namespace to an API server answer about an object, keeping code and headers", () => {
    const answer = new AppError(
      'K8S_THROTTLED',
      'slow down',
      { cluster: 'c1' },
      { 'Retry-After': '2' },
    );
    expect(thrown(() => inNamespace('shop')(answer))).toMatchObject({
      code: 'K8S_THROTTLED',
      message: 'slow down',
      details: { cluster: 'c1', namespace: 'shop' },
      headers: { 'Retry-After': '2' },
    });
  });

  it('leaves transport failures, field lists and cluster-scoped calls as they are', () => {
    const unreachable = new AppError('CLUSTER_UNREACHABLE', 'down', { cluster: 'c1' });
    expect(thrown(() => inNamespace('shop')(unreachable))).toBe(unreachable);
    const fields = new AppError('K8S_INVALID', 'bad', [{ field: 'x', errors: [] }]);
    expect(thrown(() => inNamespace('shop')(fields))).toBe(fields);
    const notFound = new AppError('K8S_NOT_FOUND', 'gone', { cluster: 'c1' });
    expect(thrown(() => inNamespace(undefined)(notFound))).toBe(notFound);
  });
});

describe('budgetViolation', () => {
  it('reads a 429 to an eviction as a disruption budget refusal, and nothing else', () => {
    const ref = { kind: 'pods', namespace: 'shop', name: 'web-1' };
    expect(budgetViolation(new AppError('K8S_THROTTLED', 'x', {}), ref)).toMatchObject({
      code: 'K8S_DISRUPTION_BUDGET_VIOLATION',
      details: { name: 'web-1', namespace: 'shop' },
    });
    expect(budgetViolation(new AppError('K8S_FORBIDDEN', 'x', {}), ref)).toBeUndefined();
  });
});
