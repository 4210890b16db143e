import type { DecimalString } from '../domain/decimal-string';

/**
 * The latest market picture of one instrument, as the desk's market-data port has it: top of book,
 * the day's trading, and how fresh it is. Prices are in the instrument's price terms (a bond in % of
 * par, FX as a rate); absent fields were never sent by the feed.
 */
export interface QuoteView {
  readonly instrumentId: string;
  readonly bid?: DecimalString;
  readonly bidSize?: DecimalString;
  readonly ask?: DecimalString;
  readonly askSize?: DecimalString;
  readonly last?: DecimalString;
  readonly lastSize?: DecimalString;
  /** The day's traded volume. */
  readonly volume?: DecimalString;
  readonly open?: DecimalString;
  readonly high?: DecimalString;
  readonly low?: DecimalString;
  /** The previous session's closing (or settlement) price. */
  readonly close?: DecimalString;
  readonly vwap?: DecimalString;
  /** When the desk last received an update for it (ISO-8601, the desk's clock). */
  readonly updatedAt: string;
  /** Which feed it came from. */
  readonly source: string;
  /** No update within the feed's staleness limit, or the feed is down: the numbers may be old. */
  readonly stale: boolean;
  /** The feed refused the subscription (unknown instrument, not entitled): the reason. */
  readonly rejected?: string;
}
