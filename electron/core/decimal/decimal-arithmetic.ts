import type { Coefficient } from './decimal-coefficient';
import { bigPow10, digitCount, MAX_SAFE, normalize, POW10, remainder, ROUND_HALF_EVEN, roundOff, roundsUp, toBigInt } from './decimal-coefficient';

/**
 * The exact (BigInt) paths of the decimal's arithmetic, for what the safe-integer fast paths in
 * `decimal.ts` cannot do. Results go to `normal` (decimal-coefficient.ts).
 */

/** Significant digits of a sum, difference, product or quotient, rounded half-even (decimal.js's precision 40). */
const PRECISION = 40;

function roundToPrecision(negative: boolean, magnitude: bigint, scale: number, sticky: boolean): void {
  const digits = digitCount(magnitude);
  if (digits <= PRECISION && !sticky) return normalize(negative, magnitude, scale);
  roundOff(negative, magnitude, scale, digits - PRECISION, ROUND_HALF_EVEN, sticky);
}

export function addExactly(a: Coefficient, aScale: number, b: Coefficient, bScale: number): void {
  const scale = Math.max(aScale, bScale);
  const sum = toBigInt(a) * bigPow10(scale - aScale) + toBigInt(b) * bigPow10(scale - bScale);
  roundToPrecision(sum < 0n, sum < 0n ? -sum : sum, scale, false);
}

export function multiplyExactly(a: Coefficient, b: Coefficient, scale: number): void {
  const product = toBigInt(a) * toBigInt(b);
  roundToPrecision(product < 0n, product < 0n ? -product : product, scale, false);
}

/** Positive magnitudes; the quotient rounded to 40 significant digits. */
export function divideExactly(negative: boolean, dividend: Coefficient, divisor: Coefficient, scale: number): void {
  // Enough digits that the integer quotient has 41 or 42: the remainder only decides ties.
  const shift = PRECISION + 1 - (digitCount(dividend) - digitCount(divisor));
  const numerator = toBigInt(dividend) * (shift > 0 ? bigPow10(shift) : 1n);
  const denominator = toBigInt(divisor) * (shift < 0 ? bigPow10(-shift) : 1n);
  const quotient = numerator / denominator;
  roundToPrecision(negative, quotient, scale + shift, quotient * denominator !== numerator);
}

export function compareExactly(a: Coefficient, aScale: number, b: Coefficient, bScale: number): number {
  const aSign = a > 0 ? 1 : a < 0 ? -1 : 0;
  const bSign = b > 0 ? 1 : b < 0 ? -1 : 0;
  if (aSign !== bSign) return aSign < bSign ? -1 : 1;
  if (aSign === 0) return 0;
  // Exponents of the leading digits first: then the scales to align differ by a few digits at most.
  const aExponent = digitCount(aSign > 0 ? a : negate(a)) - aScale;
  const bExponent = digitCount(bSign > 0 ? b : negate(b)) - bScale;
  if (aExponent !== bExponent) return aExponent > bExponent === aSign > 0 ? 1 : -1;
  const scale = Math.max(aScale, bScale);
  const left = toBigInt(a) * bigPow10(scale - aScale);
  const right = toBigInt(b) * bigPow10(scale - bScale);
  return left < right ? -1 : left > right ? 1 : 0;
}

function negate(c: Coefficient): Coefficient {
  return typeof c === 'number' ? -c : -c;
}

/**
 * decimal.js's `x.dividedBy(y).toDecimalPlaces(places, rounding)` for safe-integer magnitudes, by
 * long division in doubles: the quotient Q = dividend / divisor × 10^-scale, rounded once to
 * `places`. Returns false (nothing written) when that could differ from rounding to 40 significant
 * digits first. It can only differ when Q lies within half a unit of its 40th digit from a
 * rounding boundary at `places`; Q is at least 1/(2·divisor) units of `places` away from any such
 * boundary it is not on, so that cannot happen while the 40th digit lies more than
 * digits(divisor) places to the right of `places`, i.e. while digits(dividend) + places - scale ≤ 39.
 */
export function divideToPlaces(negative: boolean, dividend: number, divisor: number, scale: number, places: number, rounding: number): boolean {
  const shift = places - scale;
  const divisorDigits = digitCount(divisor);
  if (shift < 0 || digitCount(dividend) + shift > PRECISION - 1 || divisorDigits > 14) return false;
  let rest = remainder(dividend, divisor);
  let kept = (dividend - rest) / divisor;
  let bigKept: bigint | undefined; // once kept is past the safe integers
  const chunk = 15 - divisorDigits; // rest · 10^chunk stays below 10^15
  for (let left = shift; left > 0; left -= chunk) {
    const digits = Math.min(left, chunk);
    const unit = POW10[digits] as number;
    const widened = rest * unit;
    rest = remainder(widened, divisor);
    const next = (widened - rest) / divisor;
    if (bigKept === undefined && kept * unit + next < MAX_SAFE) kept = kept * unit + next;
    else {
      bigKept = (bigKept ?? BigInt(kept)) * bigPow10(digits) + BigInt(next);
      kept = next; // its parity is the parity of bigKept
    }
  }
  const twice = rest * 2;
  const half = twice > divisor ? 1 : twice < divisor ? -1 : 0;
  const up = roundsUp(rounding, negative, remainder(kept, 2) === 1, half, rest !== 0);
  if (bigKept === undefined) normalize(negative, up ? kept + 1 : kept, places);
  else normalize(negative, up ? bigKept + 1n : bigKept, places);
  return true;
}
