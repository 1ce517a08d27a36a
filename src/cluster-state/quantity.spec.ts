import { nanosToNumber, parseQuantity, parseQuantityNanos, quantityNanosOrZero } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['250m', 0.25],
    ['1500m', 1.5],
    ['100n', 1e-7],
    ['5u', 5e-6],
    ['2k', 2000],
    ['3M', 3e6],
    ['4G', 4e9],
    ['5T', 5e12],
    ['6P', 6e15],
    ['7E', 7e18],
    ['1E', 1e18],
  ])('reads the decimal SI quantity %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it.each([
    ['1Ki', 1024],
    ['128Mi', 128 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['1Ei', 2 ** 60],
    ['1.5Gi', 1610612736],
    ['0.5Ki', 512],
    ['.25Mi', 262144],
  ])('reads the binary SI quantity %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it.each([
    ['1e3', 1000],
    ['1E3', 1000],
    ['1E-3', 0.001],
    ['12e+2', 1200],
    ['1.5e2', 150],
    ['2e0', 2],
  ])('reads the exponent form %s as %d', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it.each([
    ['0.1', 0.1],
    ['1.', 1],
    ['.5', 0.5],
    ['0.3', 0.3],
    ['1.001k', 1001],
    ['007', 7],
  ])('reads the fractional or padded number %s as the nearest double %d', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it('keeps integer byte counts exact where a float multiplication would not', () => {
    expect(parseQuantity('0.1Ki')).toBe(102.4);
    expect(parseQuantity('1.1G')).toBe(1_100_000_000);
    expect(parseQuantity('0.7Gi')).toBe(751619276.8);
  });

  it.each([
    ['+1', 1],
    ['-1', -1],
    ['-250m', -0.25],
    ['+1.5Gi', 1610612736],
    ['-0', 0],
  ])('honours the sign of %s', (text, expected) => {
    expect(parseQuantity(text)).toBe(expected);
  });

  it('rounds fractions below one nano up to 1n, as Kubernetes does', () => {
    expect(parseQuantity('0.1n')).toBe(1e-9);
    expect(parseQuantity('1.0000000001')).toBe(1.000000001);
  });

  it.each([
    '',
    ' ',
    '1 Gi',
    'Gi',
    '1GB',
    '1Kb',
    '1ki',
    '1K',
    '1mi',
    'e3',
    '1e',
    '1e1.5',
    '+',
    '-',
    '1.2.3',
    'abc',
    '1Gi ',
    '--1',
    '0x10',
    'NaN',
    'Infinity',
  ])('refuses %j with an Error naming the input', (text) => {
    expect(() => parseQuantity(text)).toThrow(/Invalid Kubernetes quantity/);
  });

  it('refuses a non-string at run time', () => {
    expect(() => parseQuantity(5 as unknown as string)).toThrow(/Invalid Kubernetes quantity/);
  });

  it('refuses an exponent too large to compute', () => {
    expect(() => parseQuantity('1e99999')).toThrow(/out-of-range exponent/);
  });
});

describe('parseQuantityNanos', () => {
  it('gives signed nano units', () => {
    expect(parseQuantityNanos('250m')).toBe(250_000_000n);
    expect(parseQuantityNanos('-1Ki')).toBe(-1024n * 10n ** 9n);
    expect(parseQuantityNanos('1Ei')).toBe(2n ** 60n * 10n ** 9n);
  });

  it('keeps sums exact where doubles drift', () => {
    const sum = ['100m', '200m'].map(parseQuantityNanos).reduce((a, b) => a + b, 0n);
    expect(nanosToNumber(sum)).toBe(0.3);
    expect(parseQuantity('100m') + parseQuantity('200m')).not.toBe(0.3);
  });

  it('returns to the same total after adding and removing many values', () => {
    let total = parseQuantityNanos('1');
    for (let i = 0; i < 1000; i++) total += parseQuantityNanos('0.1');
    for (let i = 0; i < 1000; i++) total -= parseQuantityNanos('0.1');
    expect(nanosToNumber(total)).toBe(1);
  });
});

describe('quantityNanosOrZero', () => {
  it('counts an absent quantity as zero and parses a present one', () => {
    expect(quantityNanosOrZero(undefined)).toBe(0n);
    expect(quantityNanosOrZero(null)).toBe(0n);
    expect(quantityNanosOrZero('2')).toBe(2_000_000_000n);
  });
});
