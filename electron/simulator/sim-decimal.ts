import { Decimal } from 'decimal.js';

/** The simulator's decimal: 40 significant digits, so notionals and averages never lose a digit that matters. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = Decimal;

/** Plain decimal text, never exponent notation ("0.00001", not "1e-5"). */
export function decimalText(value: Decimal): string {
  return value.toFixed();
}
