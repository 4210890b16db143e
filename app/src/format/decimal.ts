/**
 * Display helpers for decimal strings. Values stay strings end to end: no parseFloat, no binary
 * floating point, so "0.1" + formatting never turns into "0.10000000000000001".
 */
import { isDecimalString } from '../../../shared/domain/decimal-string';

/** Groups the integer digits with commas: "1234567.50" → "1,234,567.50". Non-decimals pass through. */
export function groupDecimal(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  if (!isDecimalString(value)) return value;
  const negative = value.startsWith('-');
  const unsigned = negative ? value.slice(1) : value;
  const dot = unsigned.indexOf('.');
  const integer = dot === -1 ? unsigned : unsigned.slice(0, dot);
  const fraction = dot === -1 ? '' : unsigned.slice(dot);
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + fraction;
}

/** True for "0", "0.000", "-0" and the like. */
export function isZeroDecimal(value: string | undefined): boolean {
  return value !== undefined && /^-?0+(\.0+)?$/.test(value);
}

/**
 * Orders two decimal strings numerically without converting them to numbers (for grid sorting).
 * Strings that are not decimals sort after every decimal, then among themselves as text.
 */
export function compareDecimalStrings(a: string | undefined, b: string | undefined): number {
  const aOk = a !== undefined && isDecimalString(a);
  const bOk = b !== undefined && isDecimalString(b);
  if (!aOk || !bOk) {
    if (aOk) return -1;
    if (bOk) return 1;
    return (a ?? '').localeCompare(b ?? '');
  }
  const aNeg = a.startsWith('-') && !isZeroDecimal(a);
  const bNeg = b.startsWith('-') && !isZeroDecimal(b);
  if (aNeg !== bNeg) return aNeg ? -1 : 1;
  const magnitude = compareMagnitude(a.replace(/^-/, ''), b.replace(/^-/, ''));
  return aNeg ? -magnitude : magnitude;
}

function compareMagnitude(a: string, b: string): number {
  const [aInt = '', aFrac = ''] = a.split('.');
  const [bInt = '', bFrac = ''] = b.split('.');
  if (aInt.length !== bInt.length) return aInt.length < bInt.length ? -1 : 1;
  if (aInt !== bInt) return aInt < bInt ? -1 : 1;
  const width = Math.max(aFrac.length, bFrac.length);
  const af = aFrac.padEnd(width, '0');
  const bf = bFrac.padEnd(width, '0');
  if (af === bf) return 0;
  return af < bf ? -1 : 1;
}
