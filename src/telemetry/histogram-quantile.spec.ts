import { Bucket, histogramQuantile, upperBoundOf } from './histogram-quantile';

const h = (...pairs: Array<[number | '+Inf', number]>): Bucket[] =>
  pairs.map(([le, count]) => ({ upperBound: le === '+Inf' ? Infinity : le, count }));

/**
 * Expected values were computed by Prometheus 3.16's own histogram_quantile over the same buckets,
 * built as literal vectors: `histogram_quantile(φ, label_replace(vector(c1), "le", "b1", "", "")
 * or …)` for φ = 0, 0.5, 0.95, 0.99, 1.
 */
const PROMETHEUS: Array<[string, Bucket[], number[]]> = [
  [
    'ranks inside the finite buckets',
    h([25, 10], [50, 20], [100, 40], [250, 40], ['+Inf', 40]),
    [0, 50, 95, 99, 100],
  ],
  [
    'a rank in the +Inf bucket',
    h([25, 10], [50, 20], [100, 40], ['+Inf', 50]),
    [0, 62.5, 100, 100, 100],
  ],
  ['empty low buckets', h([0.5, 3], [1, 3], [5, 8], ['+Inf', 8]), [0, 1.8, 4.68, 4.936, 5]],
  [
    'a dipping count made monotonic',
    h([10, 5], [20, 4], [30, 9], ['+Inf', 10]),
    [0, 10, 30, 30, 30],
  ],
  [
    'float noise ignored',
    h([10, 5], [20, 5.000000000000001], [30, 9], ['+Inf', 10]),
    [0, 10, 30, 30, 30],
  ],
  ['a negative first bound', h([-10, 2], [0, 4], [10, 8], ['+Inf', 8]), [-10, 0, 9, 9.8, 10]],
  ['a zero first bound', h([0, 4], [10, 8], ['+Inf', 8]), [0, 0, 9, 9.8, 10]],
  ['one observation', h([1, 1], [2, 1], [3, 1], ['+Inf', 1]), [0, 0.5, 0.95, 0.99, 1]],
];

describe('histogramQuantile', () => {
  it.each(PROMETHEUS)('matches Prometheus: %s', (_name, buckets, expected) => {
    const got = [0, 0.5, 0.95, 0.99, 1].map((q) => histogramQuantile(q, buckets));
    got.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 9));
  });

  it('is NaN, as in Prometheus, without observations, without +Inf, or with one bucket', () => {
    expect(histogramQuantile(0.5, h([1, 0], [5, 0], [10, 0], ['+Inf', 0]))).toBeNaN();
    expect(histogramQuantile(0.5, h([100, 1], [200, 2]))).toBeNaN();
    expect(histogramQuantile(0.5, h(['+Inf', 7]))).toBeNaN();
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });

  it('answers ±Inf outside [0, 1] and NaN for a NaN quantile', () => {
    const buckets = h([10, 5], ['+Inf', 10]);
    expect(histogramQuantile(-0.1, buckets)).toBe(-Infinity);
    expect(histogramQuantile(1.1, buckets)).toBe(Infinity);
    expect(histogramQuantile(NaN, buckets)).toBeNaN();
  });

  it('does not depend on the order of the buckets, and adds buckets of the same bound', () => {
    const shuffled = h(['+Inf', 40], [50, 20], [25, 10], [100, 40]);
    expect(histogramQuantile(0.5, shuffled)).toBe(50);
    const split = h([25, 4], [25, 6], [50, 20], [100, 40], ['+Inf', 40]);
    expect(histogramQuantile(0.95, split)).toBe(95);
  });

  it('leaves its input untouched', () => {
    const buckets = h([20, 4], [10, 5], ['+Inf', 10]);
    histogramQuantile(0.5, buckets);
    expect(buckets).toEqual(h([20, 4], [10, 5], ['+Inf', 10]));
  });
});

describe('upperBoundOf', () => {
  it('parses le as Prometheus writes it', () => {
    expect(['+Inf', 'Inf', '0.5', '1e3', '-Inf'].map(upperBoundOf)).toEqual([
      Infinity,
      Infinity,
      0.5,
      1000,
      -Infinity,
    ]);
    expect(upperBoundOf(undefined)).toBeNaN();
    expect(upperBoundOf('')).toBeNaN();
    expect(upperBoundOf('abc')).toBeNaN();
  });
});
