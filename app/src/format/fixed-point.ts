import { isDecimalString } from '../../../shared/domain/decimal-string';

/**
 * Exact fixed point in BigInt for the renderer's own arithmetic on the contract's decimal strings
 * (totals, tick and lot checks, distance from the market): the contract's decimals have at most 12
 * places, so a value is an integer count of 10⁻¹² and a product of two an integer count of 10⁻²⁴.
 */
export const PLACES = 12;
export const ONE = 10n ** BigInt(PLACES);

/** Parsed decimals by their text: a blotter's values repeat (quantities, prices, "0"). */
const parsed = new Map<string, bigint | undefined>();
const PARSED_MAX = 20_000;

/** A decimal string as an integer count of 10⁻¹²; undefined for anything else. */
export function fixed(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  let value = parsed.get(text);
  if (value !== undefined || parsed.has(text)) return value;
  if (isDecimalString(text)) {
    const dot = text.indexOf('.');
    // One parse of the digits with the point taken out and the places filled ("-1.5" → -1500000000000).
    value = dot < 0 ? BigInt(text) * ONE : BigInt(text.slice(0, dot) + text.slice(dot + 1).padEnd(PLACES, '0'));
  }
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(text, value);
  return value;
}

/** An integer count of 10^-places as plain decimal text, without trailing zeros ("-0" as "0"). */
export function fixedText(value: bigint, places: number): string {
  if (value === 0n) return '0';
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** `numerator / denominator` rounded half away from zero to an integer. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n + d / 2n) / d;
  return negative ? -q : q;
}

/** Whether `value` is a whole multiple of `step` (both decimal strings; false for anything else or a zero step). */
export function isMultipleOf(value: string, step: string): boolean {
  const v = fixed(value);
  const s = fixed(step);
  if (v === undefined || s === undefined || s === 0n) return false;
  return v % s === 0n;
}
