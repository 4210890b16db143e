import { addExactly, compareExactly, divideExactly, divideToPlaces, multiplyExactly } from './decimal-arithmetic';
import type { Coefficient } from './decimal-coefficient';
import {
  digitCount,
  isMultipleOf10,
  isNegativeCoefficient,
  MAX_PLACES,
  MAX_SAFE,
  normal,
  normalize,
  outOfRange,
  POW10,
  remainder,
  ROUND_CEIL,
  ROUND_DOWN,
  ROUND_FLOOR,
  ROUND_HALF_CEIL,
  ROUND_HALF_DOWN,
  ROUND_HALF_EVEN,
  ROUND_HALF_FLOOR,
  ROUND_HALF_UP,
  ROUND_UP,
  roundOff,
} from './decimal-coefficient';
import { decimalText, invalidArgument, parseDecimalText, plainText } from './decimal-text';

export type DecValue = Dec | string | number;

/**
 * The core's one decimal type: exact and immutable, a drop-in for the decimal.js configuration it
 * replaced (precision 40, ROUND_HALF_EVEN, toExpNeg -40, toExpPos 40), checked against decimal.js
 * by `decimal.property.test.ts`. Sums, differences, products and quotients are rounded to 40
 * significant digits like decimal.js did (exact for any price or quantity a desk sees).
 * Unlike decimal.js: no NaN or Infinity (division by zero throws; 'NaN', 'Infinity', hex and `_`
 * texts are refused), and magnitudes stay within 10^±10,000 (MAX_PLACES; beyond, it throws).
 */
export class Dec {
  static readonly ROUND_UP = ROUND_UP;
  static readonly ROUND_DOWN = ROUND_DOWN;
  static readonly ROUND_CEIL = ROUND_CEIL;
  static readonly ROUND_FLOOR = ROUND_FLOOR;
  static readonly ROUND_HALF_UP = ROUND_HALF_UP;
  static readonly ROUND_HALF_DOWN = ROUND_HALF_DOWN;
  static readonly ROUND_HALF_EVEN = ROUND_HALF_EVEN;
  static readonly ROUND_HALF_CEIL = ROUND_HALF_CEIL;
  static readonly ROUND_HALF_FLOOR = ROUND_HALF_FLOOR;

  /** The coefficient (see `coefficient`); undefined while this is a quotient not computed yet. */
  private digits: Coefficient | undefined;
  /** The scale. */
  private places: number;
  /** Dividend and divisor of a quotient computed only if needed: most are only rounded to a few places. */
  private quotientOf: readonly [Dec, Dec] | undefined;

  constructor(value: DecValue);
  constructor(value: DecValue | Coefficient | undefined, scale?: number, quotientOf?: readonly [Dec, Dec]) {
    if (scale !== undefined) {
      this.digits = value as Coefficient | undefined;
      this.places = scale;
      this.quotientOf = quotientOf;
      return;
    }
    if (typeof value === 'string') parseDecimalText(value);
    else if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) normalize(value < 0 || 1 / value < 0, Math.abs(value), 0);
      else if (Number.isFinite(value)) parseDecimalText(String(value));
      else throw invalidArgument(value);
    } else if (value instanceof Dec) {
      normal.coefficient = value.coefficient;
      normal.scale = value.scale;
    } else throw invalidArgument(value);
    this.digits = normal.coefficient;
    this.places = normal.scale;
    this.quotientOf = undefined;
  }

  /**
   * Value = coefficient × 10^-scale, canonical: scale ≥ 0, no trailing zero while scale > 0, zero
   * has scale 0 and may be negative (-0); a JS number while it is a safe integer, else a BigInt.
   */
  get coefficient(): Coefficient {
    if (this.digits === undefined) this.computeQuotient();
    return this.digits as Coefficient;
  }

  get scale(): number {
    return this.digits === undefined ? this.computeQuotient().places : this.places;
  }

  static max(...values: DecValue[]): Dec {
    let max = toDec(values[0] as DecValue);
    for (let i = 1; i < values.length; i++) {
      const next = toDec(values[i] as DecValue);
      const order = max.comparedTo(next);
      if (order < 0 || (order === 0 && max.isNegative())) max = next;
    }
    return max;
  }

  /** A pending quotient is never zero. */
  isZero(): boolean {
    return this.digits === 0;
  }

  /** True for negative zero too. */
  isNegative(): boolean {
    return isNegativeCoefficient(this.coefficient);
  }

  isInteger(): boolean {
    return this.scale === 0;
  }

  decimalPlaces(): number {
    return this.scale;
  }

  comparedTo(other: DecValue): number {
    const y = toDec(other);
    const a = this.digits;
    const b = y.digits;
    if (typeof a !== 'number' || typeof b !== 'number') return compareExactly(this.coefficient, this.scale, y.coefficient, y.scale);
    if (this.places === y.places || a === 0 || b === 0 || a < 0 !== b < 0) return a < b ? -1 : a > b ? 1 : 0;
    // Same sign, different scales: align the coarser one; past the safe range it is the larger magnitude.
    const coarserIsThis = this.places < y.places;
    const shift = Math.abs(this.places - y.places);
    const aligned = (coarserIsThis ? a : b) * (shift < POW10.length ? (POW10[shift] as number) : Infinity);
    const finer = coarserIsThis ? b : a;
    const order = Math.abs(aligned) > MAX_SAFE ? Math.sign(aligned) : aligned < finer ? -1 : aligned > finer ? 1 : 0;
    return coarserIsThis ? order : -order;
  }

  equals(other: DecValue): boolean {
    return this.comparedTo(other) === 0;
  }

  greaterThan(other: DecValue): boolean {
    return this.comparedTo(other) > 0;
  }

  greaterThanOrEqualTo(other: DecValue): boolean {
    return this.comparedTo(other) >= 0;
  }

  lessThan(other: DecValue): boolean {
    return this.comparedTo(other) < 0;
  }

  lessThanOrEqualTo(other: DecValue): boolean {
    return this.comparedTo(other) <= 0;
  }

  abs(): Dec {
    return this.isNegative() ? this.negated() : this;
  }

  negated(): Dec {
    return make(negate(this.coefficient), this.scale);
  }

  plus(other: DecValue): Dec {
    return this.add(toDec(other), false);
  }

  minus(other: DecValue): Dec {
    return this.add(toDec(other), true);
  }

  times(other: DecValue): Dec {
    const y = toDec(other);
    const a = this.digits;
    const b = y.digits;
    if (typeof a === 'number' && typeof b === 'number') {
      const product = a * b; // exact while safe: a larger exact product never rounds down to a safe one
      if (product <= MAX_SAFE && product >= -MAX_SAFE) return fromSafe(product, this.places + y.places);
    }
    if (this.isZero() || y.isZero()) return make(this.isNegative() !== y.isNegative() ? -0 : 0, 0);
    multiplyExactly(this.coefficient, y.coefficient, this.scale + y.scale);
    return make(normal.coefficient, normal.scale);
  }

  /** Rounded to 40 significant digits, half-even, like decimal.js: `toDecimalPlaces` rounds a second time. */
  dividedBy(other: DecValue): Dec {
    const y = toDec(other);
    if (y.isZero()) throw new Error('[DecimalError] Division by zero');
    const negative = this.isNegative() !== y.isNegative();
    if (this.isZero()) return make(negative ? -0 : 0, 0);
    const a = this.digits;
    const b = y.digits;
    if (typeof a === 'number' && typeof b === 'number') {
      // A quotient that ends within 15 digits: |a|·10^k / |b|, |a|·10^k below 10^15.
      const dividend = Math.abs(a);
      const shift = Math.max(0, 15 - digitCount(dividend));
      const shifted = dividend * (POW10[shift] as number);
      const divisor = Math.abs(b);
      if (remainder(shifted, divisor) === 0) return fromMagnitude(negative, shifted / divisor, this.places - y.places + shift);
      return make(undefined, NaN, [this, y]);
    }
    divideExactly(negative, magnitude(this.coefficient), magnitude(y.coefficient), this.scale - y.scale);
    return make(normal.coefficient, normal.scale);
  }

  toDecimalPlaces(decimalPlaces?: number, rounding: number = ROUND_HALF_EVEN): Dec {
    if (decimalPlaces === undefined) return this;
    if (!Number.isInteger(decimalPlaces) || decimalPlaces < 0 || decimalPlaces > 1e9) throw invalidArgument(decimalPlaces);
    const quotient = this.quotientOf;
    if (quotient !== undefined) {
      const [x, y] = quotient;
      const dividend = x.digits as number;
      const divisor = y.digits as number;
      const negative = x.isNegative() !== y.isNegative();
      if (divideToPlaces(negative, Math.abs(dividend), Math.abs(divisor), x.places - y.places, decimalPlaces, rounding)) return make(normal.coefficient, normal.scale);
    }
    const scale = this.scale;
    if (scale <= decimalPlaces) return this;
    roundOff(this.isNegative(), magnitude(this.coefficient), scale, scale - decimalPlaces, rounding, false);
    return make(normal.coefficient, normal.scale);
  }

  floor(): Dec {
    return this.toDecimalPlaces(0, ROUND_FLOOR);
  }

  /** To a whole number, half-even. */
  round(): Dec {
    return this.toDecimalPlaces(0, ROUND_HALF_EVEN);
  }

  /** Plain notation, never an exponent; negative zero is '0'. */
  toFixed(): string {
    return plainText(this.coefficient, this.scale);
  }

  /** Exponent form from 1e40 and to 1e-40; negative zero is '0'. */
  toString(): string {
    return decimalText(this.coefficient, this.scale, false);
  }

  /** As toString, but negative zero is '-0'. */
  valueOf(): string {
    return decimalText(this.coefficient, this.scale, true);
  }

  toJSON(): string {
    return this.valueOf();
  }

  private add(y: Dec, subtract: boolean): Dec {
    const a = this.digits;
    const b = y.digits;
    if (typeof a === 'number' && typeof b === 'number') {
      // IEEE arithmetic gives decimal.js's signs of zero: -0 + -0 = -0, x - x = 0.
      const addend = subtract ? -b : b;
      if (this.places === y.places) {
        const sum = a + addend;
        if (sum <= MAX_SAFE && sum >= -MAX_SAFE) return fromSafe(sum, this.places);
      } else if (Math.abs(this.places - y.places) < POW10.length) {
        const unit = POW10[Math.abs(this.places - y.places)] as number;
        const aligned = this.places < y.places ? a * unit : addend * unit;
        if (aligned <= MAX_SAFE && aligned >= -MAX_SAFE) {
          const sum = aligned + (this.places < y.places ? addend : a);
          if (sum <= MAX_SAFE && sum >= -MAX_SAFE) return fromSafe(sum, Math.max(this.places, y.places));
        }
      }
    }
    addExactly(this.coefficient, this.scale, subtract ? negate(y.coefficient) : y.coefficient, y.scale);
    return make(normal.coefficient, normal.scale);
  }

  private computeQuotient(): this {
    const [x, y] = this.quotientOf as readonly [Dec, Dec];
    divideExactly(x.isNegative() !== y.isNegative(), magnitude(x.coefficient), magnitude(y.coefficient), x.scale - y.scale);
    this.digits = normal.coefficient;
    this.places = normal.scale;
    this.quotientOf = undefined;
    return this;
  }
}

export const ZERO = new Dec(0);

/** Plain notation, never exponent form: what crosses the contract. */
export function decimalString(d: Dec): string {
  return d.toFixed();
}

type FromParts = new (coefficient: Coefficient | undefined, scale: number, quotientOf?: readonly [Dec, Dec]) => Dec;

/** A Dec from canonical parts, or a pending quotient. */
function make(coefficient: Coefficient | undefined, scale: number, quotientOf?: readonly [Dec, Dec]): Dec {
  return new (Dec as unknown as FromParts)(coefficient, scale, quotientOf);
}

function toDec(value: DecValue): Dec {
  return value instanceof Dec ? value : new Dec(value);
}

function negate(c: Coefficient): Coefficient {
  return typeof c === 'number' ? -c : -c;
}

function magnitude(c: Coefficient): Coefficient {
  return typeof c === 'number' ? Math.abs(c) : c < 0n ? -c : c;
}

function fromMagnitude(negative: boolean, m: Coefficient, scale: number): Dec {
  normalize(negative, m, scale);
  return make(normal.coefficient, normal.scale);
}

/** A safe integer coefficient with scale ≥ 0: only trailing zeros to drop. */
function fromSafe(c: number, scale: number): Dec {
  if (c === 0) return make(c, 0);
  while (scale > 0 && isMultipleOf10(c)) {
    c /= 10;
    scale--;
  }
  if (scale > MAX_PLACES) throw outOfRange();
  return make(c, scale);
}
