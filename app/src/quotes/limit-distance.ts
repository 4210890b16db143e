import type { Side } from '../../../shared/domain/order-types';
import { divideRounded, fixed, fixedText } from '../format/fixed-point';

/**
 * How far a limit order is from trading, against the last price, in percent of the last (two places):
 * what a trader reads fastest across asset classes (ticks mean nothing across an equity, a bond and
 * a future side by side, and a percentage sorts across them).
 *
 *   buy          (last − limit) / last     positive: the market must fall that far to reach the bid
 *   sell, short  (limit − last) / last     positive: the market must rise that far
 *
 * Zero or negative: the limit is at or through the last (marketable).
 * `ticks` says the same distance in the instrument's ticks (rounded), for the tooltip.
 */
export interface LimitDistance {
  /** Percent, exact to two places, signed ("0.35", "-1.2"). */
  readonly percent: string;
  /** The distance in ticks (rounded half away from zero), when the tick size is known. */
  readonly ticks?: string;
  readonly marketable: boolean;
}

export function limitDistance(side: Side, limit: string | undefined, last: string | undefined, tickSize?: string): LimitDistance | undefined {
  const l = fixed(limit);
  const p = fixed(last);
  if (l === undefined || p === undefined || p <= 0n) return undefined;
  const away = side === 'buy' ? p - l : l - p;
  // Percent to 2 places: away / last × 100, as an integer count of 10⁻².
  const hundredths = divideRounded(away * 10_000n, p);
  const tick = fixed(tickSize);
  return {
    percent: fixedText(hundredths, 2),
    ...(tick !== undefined && tick > 0n && { ticks: divideRounded(away, tick).toString() }),
    marketable: away <= 0n,
  };
}

/** As the blotter cell shows it: "+0.35%", "−1.20%" (a true minus), "0.00%". */
export function formatDistance(distance: LimitDistance | undefined): string {
  if (distance === undefined) return '';
  const [whole = '0', fraction = ''] = distance.percent.replace('-', '').split('.');
  const text = `${whole}.${fraction.padEnd(2, '0')}%`;
  if (distance.percent.startsWith('-')) return `\u2212${text}`;
  return distance.percent === '0' ? text : `+${text}`;
}
