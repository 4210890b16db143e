import { z } from 'zod';
import type { DecimalString } from '../domain/decimal-string';
import type { AssetClass } from '../domain/order-types';

/**
 * One account's position in one instrument, valued: keyed by `key` (account|instrumentId). Amounts
 * are decimal strings (exact; money to 8 places, the screens round to the cent): in the position's
 * currency (`currency`, the instrument's in its major unit: GBX prices give GBP) and, converted at
 * market FX rates, in its fund's base currency (`…Base`; absent with `noRate` saying which rate is
 * missing). Quantities: shares, contracts (futures, options), face (bonds), base-currency units (FX).
 */
export interface PositionRow {
  readonly key: string;
  /** Rises with every change; a lower one never replaces a row. */
  readonly version: number;
  readonly fund: string;
  readonly baseCurrency: string;
  readonly account: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly currency: string;
  readonly quantity: DecimalString;
  /** What the start-of-day file (or yesterday's close of the desk) said. */
  readonly startQuantity: DecimalString;
  /** Today's surviving fills: bought and sold (both positive) and their net. */
  readonly bought: DecimalString;
  readonly sold: DecimalString;
  readonly traded: DecimalString;
  /** Per unit in price terms (% of par for a bond, a rate for FX); absent when flat. */
  readonly averageCost?: DecimalString;
  readonly mark?: DecimalString;
  readonly markSource?: 'last' | 'mid' | 'close';
  /** When the quote of the mark was received (the desk's clock). */
  readonly markAt?: string;
  readonly markStale?: boolean;
  readonly realised: DecimalString;
  readonly unrealised?: DecimalString;
  /** Realised + unrealised since the start of day (carried at its price: normally the previous close). */
  readonly pnl?: DecimalString;
  readonly marketValue?: DecimalString;
  /** Signed exposure (market value × multiplier, face × price / 100, the base leg for FX) and its size, in `exposureCurrency`. */
  readonly exposure?: DecimalString;
  readonly grossExposure?: DecimalString;
  readonly exposureCurrency: string;
  /** FX: the quote-currency leg (−quantity × mark), in the quote currency. */
  readonly quoteLeg?: DecimalString;
  readonly realisedBase?: DecimalString;
  readonly unrealisedBase?: DecimalString;
  readonly pnlBase?: DecimalString;
  readonly exposureBase?: DecimalString;
  readonly grossExposureBase?: DecimalString;
  /** The rate from `currency` to `baseCurrency` (1 currency = fxRate base; 10 places), absent without one. */
  readonly fxRate?: DecimalString;
  /** The quotes it came from: "EURUSD.SPOT last", "1/EURGBP.SPOT mid" (inverse), "GBPUSD.SPOT last × 1/EURUSD.SPOT last" (crossed through USD); "same currency". */
  readonly fxSource?: string;
  /** When the oldest of its quotes was received, and whether any is stale. */
  readonly fxAt?: string;
  readonly fxStale?: boolean;
  /** Why the base-currency figures are missing ("no rate GBP/EUR"). */
  readonly noRate?: string;
}

/** The start-of-day file: its name (for the audit trail) and its text (CSV). */
export const importStartOfDayRequestSchema = z
  .object({
    fileName: z.string({ error: 'fileName must be text' }).trim().min(1, { error: 'name the file' }).max(255, { error: 'fileName is at most 255 characters' }),
    text: z.string({ error: 'text must be the file’s text' }).max(900_000, { error: 'the file is larger than 900 kB (a request is at most 1 MB): split it by account' }),
  })
  .strict();
export type ImportStartOfDayRequest = z.infer<typeof importStartOfDayRequestSchema>;

export interface ImportStartOfDayResult {
  readonly positions: number;
}
