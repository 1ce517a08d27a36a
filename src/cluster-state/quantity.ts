/**
 * Exact parsing of Kubernetes `resource.Quantity` strings.
 *
 * Grammar (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/):
 * `<sign><number><suffix>` where the number is `1`, `1.`, `.5` or `1.5` and the suffix is a binary
 * SI suffix (Ki … Ei), a decimal SI suffix (n u m "" k M G T P E) or a decimal exponent (e3, E-3,
 * e+2). The arithmetic runs on BigInt and is rounded once to a double, so `0.1` is the same double
 * as the literal 0.1 and `1.5Gi` is exactly 1610612736.
 */

const BINARY_SHIFT: Record<string, bigint> = {
  Ki: 10n,
  Mi: 20n,
  Gi: 30n,
  Ti: 40n,
  Pi: 50n,
  Ei: 60n,
};
const DECIMAL_EXPONENT: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

// Numbers as Kubernetes accepts them; the exponent form needs an integer exponent.
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** Kubernetes keeps at most nano precision and rounds smaller fractions up (away from zero): 0.1n is 1n. */
const NANO_SCALE = 9;

interface Parsed {
  negative: boolean;
  mantissa: bigint;
  /** Power of ten applied to the mantissa. */
  scale: number;
  /** Power of two applied to the mantissa (binary suffixes). */
  shift: bigint;
}

function parse(text: string): Parsed {
  const match = typeof text === 'string' ? QUANTITY.exec(text) : null;
  if (!match)
    throw new Error(`Invalid Kubernetes quantity ${JSON.stringify(String(text).slice(0, 64))}`);
  const [, sign, number, exponent, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  const decimal = exponent ? Number(exponent.slice(1)) : (DECIMAL_EXPONENT[suffix] ?? 0);
  if (!Number.isSafeInteger(decimal) || Math.abs(decimal) > 1000)
    throw new Error(`Kubernetes quantity ${JSON.stringify(text)} has an out-of-range exponent`);
  return {
    negative: sign === '-',
    mantissa: BigInt(`${whole || '0'}${fraction}` || '0'),
    scale: decimal - fraction.length,
    shift: BINARY_SHIFT[suffix] ?? 0n,
  };
}

/** The magnitude in nano units, rounded up like Kubernetes does. */
function nanos({ mantissa, scale, shift }: Parsed): bigint {
  const scaled = mantissa << shift;
  const exponent = scale + NANO_SCALE;
  if (exponent >= 0) return scaled * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  return (scaled + divisor - 1n) / divisor;
}

/**
 * Parses a quantity to a signed BigInt count of nano units (`250m` → 250000000n). Sums kept in
 * this form stay exact however many are added and subtracted, which incremental aggregates need.
 * Throws like {@link parseQuantity}.
 */
export function parseQuantityNanos(text: string): bigint {
  const parsed = parse(text);
  const magnitude = nanos(parsed);
  return parsed.negative ? -magnitude : magnitude;
}

/** Converts nano units to the nearest double in base units (one rounding, from the decimal text). */
export function nanosToNumber(value: bigint): number {
  const result = Number(`${value}e-${NANO_SCALE}`);
  return result === 0 ? 0 : result;
}

/**
 * Parses a quantity to a plain number in the resource's base unit: cores for CPU (`250m` → 0.25),
 * bytes for memory (`1.5Gi` → 1610612736). Throws an Error naming the input when it is not a
 * quantity (empty, bare sign, unknown suffix such as `MB` or `Kb`, spaces, fractional exponent).
 *
 * Values below one nano are rounded up to 1n as Kubernetes does; values above 2^53 lose the
 * integer precision a double cannot hold (Kubernetes itself caps quantities at 2^63 − 1).
 */
export function parseQuantity(text: string): number {
  return nanosToNumber(parseQuantityNanos(text));
}

/** parseQuantityNanos for optional fields: an absent quantity counts as zero. */
export function quantityNanosOrZero(text: string | undefined | null): bigint {
  return text === undefined || text === null ? 0n : parseQuantityNanos(text);
}
