import Decimal from 'decimal.js';

/** The core's one decimal type. Precision is far above any price or quantity a desk sees. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);

/** Plain notation, never exponent form: what crosses the contract. */
export function decimalString(d: Dec): string {
  return d.toFixed();
}
