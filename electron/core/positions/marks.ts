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

/** One quote a rate is made of: a spot instrument's mark, used as it is (BASE/QUOTE) or inverted. */
export interface FxLeg {
  readonly instrumentId: string;
  readonly inverse: boolean;
  readonly mark: Mark;
}

/**
 * A rate to convert `from` into `to` (1 from = rate to) and the quotes it came from: none (a currency
 * into itself), one (direct or inverse) or two (crossed through USD). `numerator / denominator` is
 * the rate before any division, so a conversion divides once (exact for hand-computed crosses).
 */
export interface FxRate {
  readonly from: string;
  readonly to: string;
  readonly rate: Dec;
  readonly numerator: Dec;
  readonly denominator: Dec;
  readonly legs: readonly FxLeg[];
}

export type FxRates = (from: string, to: string) => FxRate | undefined;

/** The currency crosses go through (the market quotes most pairs against it). */
export const CROSS_CURRENCY = 'USD';

/** The master's FX spot instruments by pair (BASE/QUOTE). */
export type FxSpots = ReadonlyMap<string, Instrument>;

export function fxSpots(master: Pick<InstrumentMaster, 'all'>): FxSpots {
  const spots = new Map<string, Instrument>();
  for (const i of master.all()) if (i.assetClass === 'fx' && i.tenor === 'SPOT') spots.set(`${i.baseCurrency}/${i.quoteCurrency}`, i);
  return spots;
}

/** A step of a route: a spot instrument used as quoted, or inverted. */
interface Step {
  readonly spot: Instrument;
  readonly inverse: boolean;
}

/** The one-step ways from `from` to `to` in the master: the direct pair first, then the inverse. */
function steps(spots: FxSpots, from: string, to: string): Step[] {
  const out: Step[] = [];
  const direct = spots.get(`${from}/${to}`);
  if (direct !== undefined) out.push({ spot: direct, inverse: false });
  const inverse = spots.get(`${to}/${from}`);
  if (inverse !== undefined) out.push({ spot: inverse, inverse: true });
  return out;
}

/**
 * Every route the master offers from `from` to `to`, in the order they are tried: direct, inverse,
 * then crossed through USD (each leg direct or inverse). Empty for a currency into itself.
 */
export function fxRoutes(spots: FxSpots, from: string, to: string): Step[][] {
  if (from === to) return [];
  const routes = steps(spots, from, to).map((s) => [s]);
  if (from !== CROSS_CURRENCY && to !== CROSS_CURRENCY) {
    for (const first of steps(spots, from, CROSS_CURRENCY)) for (const second of steps(spots, CROSS_CURRENCY, to)) routes.push([first, second]);
  }
  return routes;
}

/** The spot instruments whose quotes can convert `from` into `to` (what to follow). */
export function fxRouteInstruments(spots: FxSpots, from: string, to: string): string[] {
  return [...new Set(fxRoutes(spots, from, to).flatMap((r) => r.map((s) => s.spot.id)))];
}

const ONE = new Dec(1);

/**
 * Rates from the marks of the master's FX spot instruments: a pair BASE/QUOTE marked m is 1 BASE = m
 * QUOTE (direct) and 1 QUOTE = 1/m BASE (inverse); a pair the master lacks is crossed through USD
 * (EUR→JPY = EUR/USD × USD/JPY; GBP→EUR = GBP/USD ÷ EUR/USD). The first route whose every leg has a
 * mark wins; with none there is no rate (never a silent 1), and the screens say so.
 */
export function fxRates(master: Pick<InstrumentMaster, 'all'> | FxSpots, mark: (instrumentId: string) => Mark | undefined): FxRates {
  const spots = master instanceof Map ? (master as FxSpots) : fxSpots(master as Pick<InstrumentMaster, 'all'>);
  return (from, to) => {
    if (from === to) return { from, to, rate: ONE, numerator: ONE, denominator: ONE, legs: [] };
    for (const route of fxRoutes(spots, from, to)) {
      const legs: FxLeg[] = [];
      for (const step of route) {
        const m = mark(step.spot.id);
        if (m === undefined || m.price.isZero()) break;
        legs.push({ instrumentId: step.spot.id, inverse: step.inverse, mark: m });
      }
      if (legs.length < route.length) continue;
      let numerator = ONE;
      let denominator = ONE;
      for (const leg of legs) {
        if (leg.inverse) denominator = denominator.times(leg.mark.price);
        else numerator = numerator.times(leg.mark.price);
      }
      return { from, to, rate: numerator.dividedBy(denominator), numerator, denominator, legs };
    }
    return undefined;
  };
}

/** Where a rate came from, for the screens: "EURUSD.SPOT last", "1/EURGBP.SPOT mid", "GBPUSD.SPOT last × 1/EURUSD.SPOT last". */
export function fxSourceText(rate: FxRate): string {
  if (rate.legs.length === 0) return 'same currency';
  return rate.legs.map((l) => `${l.inverse ? '1/' : ''}${l.instrumentId} ${l.mark.source}`).join(' × ');
}

/** The oldest of a rate's quotes (its age is its oldest leg's) and whether any is stale. */
export function fxAge(rate: FxRate): { at?: string; stale: boolean } {
  let at: string | undefined;
  for (const l of rate.legs) if (at === undefined || l.mark.at < at) at = l.mark.at;
  return { ...(at !== undefined && { at }), stale: rate.legs.some((l) => l.mark.stale) };
}
