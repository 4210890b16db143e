import type { QuoteView } from '../../../shared/contract/market-data';
import type { Instrument } from '../../../shared/domain/instrument';
import { Dec } from '../decimal/decimal';
import type { InstrumentMaster } from '../instruments/instrument-master';

/** The price a position is valued at, where it came from and how old it is (market data is live, never journaled). */
export interface Mark {
  readonly price: Dec;
  readonly source: 'last' | 'mid' | 'close';
  /** When the desk received the quote it came from. */
  readonly at: string;
  readonly stale: boolean;
}

/** The last trade, else the middle of bid and offer, else the previous close (or settlement); undefined with none. */
export function markOf(quote: QuoteView | undefined): Mark | undefined {
  if (quote === undefined || quote.rejected !== undefined) return undefined;
  const base = { at: quote.updatedAt, stale: quote.stale };
  if (quote.last !== undefined) return { price: new Dec(quote.last), source: 'last', ...base };
  if (quote.bid !== undefined && quote.ask !== undefined) return { price: new Dec(quote.bid).plus(quote.ask).dividedBy(2), source: 'mid', ...base };
  if (quote.close !== undefined) return { price: new Dec(quote.close), source: 'close', ...base };
  return undefined;
}

/** A rate to convert `from` into `to` (1 from = rate to), and the spot instrument it came from. */
export interface FxRate {
  readonly rate: Dec;
  /** The spot instrument quoted (undefined for a currency into itself). */
  readonly via?: string;
  readonly inverse: boolean;
}

export type FxRates = (from: string, to: string) => FxRate | undefined;

/** The master's FX spot instruments by pair (BASE/QUOTE). */
export type FxSpots = ReadonlyMap<string, Instrument>;

export function fxSpots(master: Pick<InstrumentMaster, 'all'>): FxSpots {
  const spots = new Map<string, Instrument>();
  for (const i of master.all()) if (i.assetClass === 'fx' && i.tenor === 'SPOT') spots.set(`${i.baseCurrency}/${i.quoteCurrency}`, i);
  return spots;
}

/**
 * Rates from the marks of the master's FX spot instruments: a pair BASE/QUOTE marked m is 1 BASE = m
 * QUOTE (direct), and 1 QUOTE = 1/m BASE (inverse). No cross rates: a pair the master lacks, or one
 * without a mark, has no rate, and the screens say so.
 */
export function fxRates(master: Pick<InstrumentMaster, 'all'> | FxSpots, mark: (instrumentId: string) => Mark | undefined): FxRates {
  const spots = master instanceof Map ? (master as FxSpots) : fxSpots(master as Pick<InstrumentMaster, 'all'>);
  return (from, to) => {
    if (from === to) return { rate: new Dec(1), inverse: false };
    const direct = spots.get(`${from}/${to}`);
    const directMark = direct === undefined ? undefined : mark(direct.id);
    if (direct !== undefined && directMark !== undefined) return { rate: directMark.price, via: direct.id, inverse: false };
    const inverse = spots.get(`${to}/${from}`);
    const inverseMark = inverse === undefined ? undefined : mark(inverse.id);
    if (inverse !== undefined && inverseMark !== undefined && !inverseMark.price.isZero()) return { rate: new Dec(1).dividedBy(inverseMark.price), via: inverse.id, inverse: true };
    return undefined;
  };
}
