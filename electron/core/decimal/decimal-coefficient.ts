/**
 * Integer helpers of the exact decimal (`decimal.ts`): a value is coefficient × 10^-scale, the
 * coefficient a JS number while it is a safe integer, a BigInt beyond.
 */
export type Coefficient = number | bigint;

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);

/** 10^k as doubles, exact up to 10^22. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const BIG_POW10: bigint[] = [1n];

export function bigPow10(k: number): bigint {
  if (k < 128) {
    for (let i = BIG_POW10.length; i <= k; i++) BIG_POW10.push((BIG_POW10[i - 1] as bigint) * 10n);
    return BIG_POW10[k] as bigint;
  }
  return 10n ** BigInt(k);
}

export function toBigInt(c: Coefficient): bigint {
  return typeof c === 'bigint' ? c : BigInt(c);
}

/** True for a negative value and for negative zero. */
export function isNegativeCoefficient(c: Coefficient): boolean {
  return typeof c === 'number' ? c < 0 || (c === 0 && 1 / c < 0) : c < 0n;
}

/** Digits of a positive integer. */
export function digitCount(m: Coefficient): number {
  if (typeof m === 'number') {
    let low = 1; // the least d with m < 10^d, searched in [1, 16]
    let high = 16;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (m < (POW10[middle] as number)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
  const approx = Number(m);
  if (approx >= 1e300) return m.toString().length;
  let digits = Math.floor(Math.log10(approx)) + 1; // off by one at most, next to a power of ten
  if (m >= bigPow10(digits)) digits++;
  else if (m < bigPow10(digits - 1)) digits--;
  return digits;
}

/** x mod d for non-negative safe integers; `%` on doubles beyond 2^31 is a slow fmod call in V8. */
export function remainder(x: number, d: number): number {
  if (x > 2 ** 52) return x % d;
  const r = x - Math.floor(x / d) * d; // the floored quotient is exact or one too large
  return r < 0 ? r + d : r;
}

/** For safe integers: m / 10 is never rounded up to the next integer. */
export function isMultipleOf10(m: number): boolean {
  return Math.floor(m / 10) * 10 === m;
}

/** A value has at most this many places after the point, and at most this many zeros before it: no runaway BigInt. */
export const MAX_PLACES = 10_000;

export function outOfRange(): Error {
  return new Error(`[DecimalError] Exponent out of range: beyond ${MAX_PLACES} places or zeros`);
}

/** The canonical form, written to `normal`: no trailing zero while scale > 0, scale ≥ 0, a number when safe. */
export const normal = { coefficient: 0 as Coefficient, scale: 0 };

export function normalize(negative: boolean, magnitude: Coefficient, scale: number): void {
  if (typeof magnitude === 'bigint') {
    while (scale > 0 && magnitude !== 0n && magnitude % 10n === 0n) {
      magnitude /= 10n;
      scale--;
    }
    if (scale < 0) {
      if (scale < -MAX_PLACES) throw outOfRange();
      magnitude *= bigPow10(-scale);
      scale = 0;
    }
    if (magnitude > MAX_SAFE_BIG) {
      if (scale > MAX_PLACES) throw outOfRange();
      normal.coefficient = negative ? -magnitude : magnitude;
      normal.scale = scale;
      return;
    }
    magnitude = Number(magnitude);
  }
  if (magnitude > MAX_SAFE) return normalize(negative, BigInt(magnitude), scale); // 2^53, from rounding up
  if (magnitude === 0) {
    normal.coefficient = negative ? -0 : 0;
    normal.scale = 0;
    return;
  }
  while (scale > 0 && isMultipleOf10(magnitude)) {
    magnitude /= 10;
    scale--;
  }
  if (scale < 0) {
    if (scale < -MAX_PLACES) throw outOfRange();
    const scaled = -scale < POW10.length ? magnitude * (POW10[-scale] as number) : Infinity;
    if (scaled > MAX_SAFE) return normalize(negative, BigInt(magnitude) * bigPow10(-scale), 0);
    magnitude = scaled;
    scale = 0;
  }
  if (scale > MAX_PLACES) throw outOfRange();
  normal.coefficient = negative ? -magnitude : magnitude;
  normal.scale = scale;
}

export const ROUND_UP = 0;
export const ROUND_DOWN = 1;
export const ROUND_CEIL = 2;
export const ROUND_FLOOR = 3;
export const ROUND_HALF_UP = 4;
export const ROUND_HALF_DOWN = 5;
export const ROUND_HALF_EVEN = 6;
export const ROUND_HALF_CEIL = 7;
export const ROUND_HALF_FLOOR = 8;

/**
 * Whether dropping digits moves the kept magnitude up by one: `half` compares what is dropped
 * with half a unit of the last kept digit (-1, 0, 1), `inexact` says anything non-zero is dropped.
 */
export function roundsUp(rounding: number, negative: boolean, keptIsOdd: boolean, half: number, inexact: boolean): boolean {
  if (!inexact) return false;
  switch (rounding) {
    case ROUND_UP:
      return true;
    case ROUND_DOWN:
      return false;
    case ROUND_CEIL:
      return !negative;
    case ROUND_FLOOR:
      return negative;
    case ROUND_HALF_UP:
      return half >= 0;
    case ROUND_HALF_DOWN:
      return half > 0;
    case ROUND_HALF_EVEN:
      return half > 0 || (half === 0 && keptIsOdd);
    case ROUND_HALF_CEIL:
      return half > 0 || (half === 0 && !negative);
    case ROUND_HALF_FLOOR:
      return half > 0 || (half === 0 && negative);
    default:
      throw new Error(`[DecimalError] Invalid argument: ${rounding}`);
  }
}

/**
 * Drops the last `drop` (≥ 1) digits of a magnitude, rounding; `sticky` = non-zero digits were
 * already dropped beyond these. Writes the canonical result to `normal`.
 */
export function roundOff(negative: boolean, magnitude: Coefficient, scale: number, drop: number, rounding: number, sticky: boolean): void {
  if (typeof magnitude === 'number' && drop < POW10.length) {
    const unit = POW10[drop] as number;
    const dropped = magnitude % unit;
    let kept = (magnitude - dropped) / unit;
    const twice = dropped * 2;
    const half = twice > unit ? 1 : twice < unit ? -1 : sticky ? 1 : 0;
    if (roundsUp(rounding, negative, remainder(kept, 2) === 1, half, dropped !== 0 || sticky)) kept++;
    return normalize(negative, kept, scale - drop);
  }
  const big = toBigInt(magnitude);
  const unit = bigPow10(drop);
  const dropped = big % unit;
  let kept = big / unit;
  const twice = dropped * 2n;
  const half = twice > unit ? 1 : twice < unit ? -1 : sticky ? 1 : 0;
  if (roundsUp(rounding, negative, kept % 2n === 1n, half, dropped !== 0n || sticky)) kept++;
  normalize(negative, kept, scale - drop);
}
