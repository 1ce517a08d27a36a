import { SameInputsMemo } from './same-inputs-memo';

describe('SameInputsMemo', () => {
  it('makes a value once while every input is the same, and again when any one differs', () => {
    const memo = new SameInputsMemo<object, { n: number }>();
    const owner = {};
    const status = { state: 'synced' };
    let made = 0;
    const get = (...inputs: unknown[]) => memo.get(owner, inputs, () => ({ n: ++made }));
    const first = get('a', 1, status);
    expect(get('a', 1, status)).toBe(first);
    expect(get('a', 2, status)).toEqual({ n: 2 });
    // An equal-looking but different object is a change: inputs are compared by identity.
    expect(get('a', 2, { state: 'synced' })).toEqual({ n: 3 });
    expect(get('a', 2)).toEqual({ n: 4 });
    expect(made).toBe(4);
  });

  it('keeps one value per owner', () => {
    const memo = new SameInputsMemo<object, string>();
    const a = {};
    const b = {};
    expect(memo.get(a, [1], () => 'a')).toBe('a');
    expect(memo.get(b, [1], () => 'b')).toBe('b');
    expect(memo.get(a, [1], () => 'again')).toBe('a');
  });

  it('treats NaN as the same input (Object.is)', () => {
    const memo = new SameInputsMemo<object, number>();
    const owner = {};
    let made = 0;
    memo.get(owner, [NaN], () => ++made);
    expect(memo.get(owner, [NaN], () => ++made)).toBe(1);
  });
});
