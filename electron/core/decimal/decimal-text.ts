import type { Coefficient } from './decimal-coefficient';
import { isNegativeCoefficient, normalize } from './decimal-coefficient';

/** Where reading an exponent stops: far beyond MAX_PLACES, still an exact double. */
const EXPONENT_CAP = 1e9;
/** Digits a double accumulates exactly. */
const SAFE_DIGITS = 15;
/** decimal.js's toExpNeg / toExpPos of the core's configuration: exponent form from there on. */
const EXPONENT_BELOW = -40;
const EXPONENT_FROM = 40;

export function invalidArgument(value: unknown): Error {
  return new Error(`[DecimalError] Invalid argument: ${String(value)}`);
}

/**
 * Reads what decimal.js reads as a finite decimal — `[+-](digits[.digits]|.digits)[e[+-]digits]` —
 * into `normal`. Refused, where decimal.js would accept them: NaN, Infinity, hex/binary/octal, `_`.
 */
export function parseDecimalText(text: string): void {
  const length = text.length;
  let i = 0;
  let negative = false;
  let code = text.charCodeAt(0);
  if (code === 45) {
    negative = true;
    i = 1;
  } else if (code === 43) i = 1;
  const start = i;
  let pointAt = -1;
  let digits = 0;
  let fractionDigits = 0;
  let significant = 0;
  let coefficient = 0;
  for (; i < length; i++) {
    code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      digits++;
      if (pointAt >= 0) fractionDigits++;
      if ((significant > 0 || code !== 48) && ++significant <= SAFE_DIGITS) coefficient = coefficient * 10 + (code - 48);
    } else if (code === 46 && pointAt < 0) pointAt = i;
    else break;
  }
  const end = i;
  if (digits === 0) throw invalidArgument(text);
  let exponent = 0;
  if (i < length) {
    if ((code | 32) !== 101) throw invalidArgument(text);
    code = text.charCodeAt(++i);
    const exponentNegative = code === 45;
    if (code === 45 || code === 43) i++;
    const exponentStart = i;
    for (; i < length; i++) {
      code = text.charCodeAt(i);
      if (code < 48 || code > 57) throw invalidArgument(text);
      if (exponent <= EXPONENT_CAP) exponent = exponent * 10 + (code - 48);
    }
    if (i === exponentStart) throw invalidArgument(text);
    if (exponentNegative) exponent = -exponent;
  }
  if (significant === 0) return normalize(negative, 0, 0);
  if (significant <= SAFE_DIGITS) return normalize(negative, coefficient, fractionDigits - exponent);
  const allDigits = pointAt < 0 ? text.slice(start, end) : text.slice(start, pointAt) + text.slice(pointAt + 1, end);
  normalize(negative, BigInt(allDigits), fractionDigits - exponent);
}

function magnitudeDigits(c: Coefficient): string {
  if (typeof c === 'number') return String(c < 0 ? -c : c);
  return (c < 0n ? -c : c).toString();
}

/** Plain notation, like decimal.js's toFixed(): no exponent, no trailing zero, no sign on zero. */
export function plainText(c: Coefficient, scale: number): string {
  if (scale === 0) return typeof c === 'number' ? String(c) : c.toString(); // String(-0) is '0'
  const digits = magnitudeDigits(c);
  const sign = c < 0 ? '-' : '';
  const integerDigits = digits.length - scale;
  if (integerDigits > 0) return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
  return `${sign}0.${'0'.repeat(-integerDigits)}${digits}`;
}

/** decimal.js's toString() (`keepNegativeZero` false) and valueOf()/toJSON() (true). */
export function decimalText(c: Coefficient, scale: number, keepNegativeZero: boolean): string {
  if (typeof c === 'number' && scale < -EXPONENT_BELOW) {
    if (c === 0) return keepNegativeZero && 1 / c < 0 ? '-0' : '0';
    return plainText(c, scale);
  }
  const digits = magnitudeDigits(c);
  const exponent = digits.length - 1 - scale;
  if (exponent > EXPONENT_BELOW && exponent < EXPONENT_FROM) return plainText(c, scale);
  const significand = digits.replace(/0+$/, '');
  const mantissa = significand.length > 1 ? `${significand[0]}.${significand.slice(1)}` : significand;
  return `${isNegativeCoefficient(c) ? '-' : ''}${mantissa}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
}
