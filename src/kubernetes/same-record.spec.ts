import { sameRecord } from './same-record';

describe('sameRecord', () => {
  it('compares plain objects and arrays by value, whatever the key order', () => {
    const a = { name: 'n', labels: { a: '1', b: '2' }, conditions: [{ type: 'Ready', s: true }] };
    const b = { conditions: [{ s: true, type: 'Ready' }], labels: { b: '2', a: '1' }, name: 'n' };
    expect(sameRecord(a, b)).toBe(true);
    expect(sameRecord(Object.assign(Object.create(null), { x: 1 }), { x: 1 })).toBe(true);
  });

  it('sees a changed, missing or extra field at any depth', () => {
    const base = { name: 'n', spec: { ports: [80, 443] }, tag: undefined as string | undefined };
    expect(sameRecord(base, { ...base, spec: { ports: [80, 8443] } })).toBe(false);
    expect(sameRecord(base, { ...base, spec: { ports: [80] } })).toBe(false);
    expect(sameRecord({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameRecord({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameRecord({ a: null }, { a: undefined })).toBe(false);
    expect(sameRecord([1], { 0: 1, length: 1 })).toBe(false);
    expect(sameRecord({ a: '1' }, { a: 1 })).toBe(false);
  });

  it('sees a difference in hidden properties: symbols and non-enumerable keys', () => {
    const hidden = Symbol('tracked');
    const withHidden = (value: string) =>
      Object.defineProperty({ name: 'settings' }, hidden, { value: { LEVEL: value } });
    expect(sameRecord(withHidden('info'), withHidden('info'))).toBe(true);
    expect(sameRecord(withHidden('info'), withHidden('debug'))).toBe(false);
    expect(sameRecord(withHidden('info'), { name: 'settings' })).toBe(false);
    const secret = (v: number) => Object.defineProperty({ a: 1 }, 'b', { value: v });
    expect(sameRecord(secret(1), secret(2))).toBe(false);
  });

  it('compares anything but plain data by identity, so it can only find a difference', () => {
    const when = new Date(0);
    expect(sameRecord({ when }, { when })).toBe(true);
    expect(sameRecord({ when }, { when: new Date(0) })).toBe(false);
    expect(sameRecord(new Uint8Array([1]), new Uint8Array([1]))).toBe(false);
    expect(sameRecord({ n: NaN }, { n: NaN })).toBe(false);
  });
});
