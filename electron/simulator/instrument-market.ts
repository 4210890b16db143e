import type { Decimal } from 'decimal.js';
import type { FxInstrument, Instrument, ListedOption } from '../../shared/domain/instrument';
import type { AssetClass } from '../../shared/domain/order-types';
import { daysBetween } from '../core/instruments/calendar';
import { fxSpotDate, fxValueDate } from '../core/instruments/contract-terms';
import { blackScholes, fxForward } from './instrument-pricing';
import { SeededRandom } from './seeded-random';
import { Dec } from './sim-decimal';

/** How one instrument trades in the simulated market. Options and FX forwards take their price from their underlying or spot. */
export interface MarketParams {
  /** Where the price starts (and the previous close): required for equities, futures, FX spot and bonds. */
  readonly referencePrice?: string;
  /** Standard deviation of one tick's relative move; 0 keeps the price still. */
  readonly volatility: number;
  /** The most one fill can take at once; also the size shown on each side. */
  readonly liquidity: string;
  /** Traded volume per market tick is uniform in [0, volumePerTick]. */
  readonly volumePerTick: number;
  /** Ask minus bid, in ticks. */
  readonly spreadTicks: number;
}

export const DEFAULT_PARAMS: Readonly<Record<AssetClass, Omit<MarketParams, 'referencePrice'>>> = {
  equity: { volatility: 0.0005, liquidity: '5000', volumePerTick: 2000, spreadTicks: 1 },
  future: { volatility: 0.0003, liquidity: '200', volumePerTick: 100, spreadTicks: 1 },
  fx: { volatility: 0.0001, liquidity: '5000000', volumePerTick: 2_000_000, spreadTicks: 2 },
  option: { volatility: 0, liquidity: '500', volumePerTick: 50, spreadTicks: 2 },
  bond: { volatility: 0.0001, liquidity: '10000000', volumePerTick: 1_000_000, spreadTicks: 4 },
};

export interface MarketSettings {
  readonly seed: number;
  /** Annual money-market rates per currency (0.045 = 4.5 %), for FX forwards and option discounting. */
  readonly rates: Readonly<Record<string, number>>;
  /** Implied volatility of every option, by underlying id (default 0.25). */
  readonly optionVolatility?: Readonly<Record<string, number>>;
  /** Today's date (YYYY-MM-DD) in the market: option time to expiry, FX value dates. */
  today(): string;
}

/** One instrument's market now. Prices on the instrument's tick grid, never below one tick. */
export interface InstrumentQuote {
  readonly instrumentId: string;
  readonly bid: Decimal;
  readonly ask: Decimal;
  readonly mid: Decimal;
  readonly bidSize: Decimal;
  readonly askSize: Decimal;
  readonly last?: Decimal;
  readonly lastSize?: Decimal;
  readonly volume: Decimal;
  readonly open?: Decimal;
  readonly high?: Decimal;
  readonly low?: Decimal;
  /** The previous close: the reference price (or the model's price at start). */
  readonly close: Decimal;
  readonly tickSize: Decimal;
  readonly liquidity: Decimal;
}

interface State {
  readonly instrument: Instrument;
  readonly params: MarketParams;
  readonly tickSize: Decimal;
  /** The model's value before rounding (base instruments walk it; derived ones recompute it). */
  value: number;
  quote: InstrumentQuote;
}

/**
 * The simulator's market over the instrument master: a seeded random walk per base instrument
 * (equities, futures, FX spot, bonds in % of par), options and FX forwards priced from it, a spread
 * in ticks around the value, random trades each tick (and the brokers' own fills, `trade`). The
 * same seed and calls give the same prices. One per simulator: the brokers fill from it and the
 * market-data venue quotes it (`onChange`), so a quote and a fill at the same moment agree.
 */
export class InstrumentMarket {
  private readonly states = new Map<string, State>();
  private readonly random: SeededRandom;
  private readonly spotOf = new Map<string, string>();
  private readonly listeners = new Set<(changed: readonly string[]) => void>();

  constructor(
    instruments: readonly Instrument[],
    params: Readonly<Record<string, Partial<MarketParams>>>,
    private readonly settings: MarketSettings,
  ) {
    this.random = new SeededRandom(settings.seed);
    const spots = new Map(instruments.filter((i): i is FxInstrument => i.assetClass === 'fx' && i.tenor === 'SPOT').map((i) => [i.symbol, i.id]));
    const ordered = [...instruments].sort((a, b) => derivedRank(a) - derivedRank(b));
    for (const instrument of ordered) {
      const p: MarketParams = { ...DEFAULT_PARAMS[instrument.assetClass], ...params[instrument.id] };
      if (instrument.assetClass === 'fx' && instrument.tenor !== 'SPOT') {
        const spot = spots.get(instrument.symbol);
        if (spot === undefined) throw new Error(`${instrument.id}: a forward needs the ${instrument.symbol} spot instrument in the market`);
        this.spotOf.set(instrument.id, spot);
      }
      const isBase = !(instrument.assetClass === 'option' || (instrument.assetClass === 'fx' && instrument.tenor !== 'SPOT'));
      if (isBase && p.referencePrice === undefined) throw new Error(`${instrument.id}: the market needs a referencePrice`);
      const state: State = { instrument, params: p, tickSize: new Dec(instrument.tickSize), value: isBase ? Number(p.referencePrice) : 0, quote: undefined as never };
      this.states.set(instrument.id, state);
      if (!isBase) state.value = this.modelValue(state);
      const close = isBase ? onTick(new Dec(p.referencePrice as string), state.tickSize) : onTick(new Dec(state.value), state.tickSize);
      state.quote = { instrumentId: instrument.id, ...this.sides(state), volume: new Dec(0), close, tickSize: state.tickSize, liquidity: new Dec(p.liquidity) };
    }
  }

  quote(instrumentId: string): InstrumentQuote | undefined {
    return this.states.get(instrumentId)?.quote;
  }

  instrument(instrumentId: string): Instrument | undefined {
    return this.states.get(instrumentId)?.instrument;
  }

  instrumentIds(): string[] {
    return [...this.states.keys()];
  }

  /** Hears every change of the quotes: each tick's, each trade printed, each price set. Returns the way to stop. */
  onChange(listener: (changed: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One market tick: base values walk, derived ones follow, random trades print. Returns the ids whose quote changed. */
  tick(): string[] {
    const changed: string[] = [];
    for (const state of this.states.values()) {
      const before = state.quote;
      if (isDerived(state.instrument)) state.value = this.modelValue(state);
      else if (state.params.volatility > 0) state.value = Math.max(state.value * (1 + state.params.volatility * this.random.gaussian()), Number(state.tickSize));
      state.quote = { ...state.quote, ...this.sides(state) };
      const size = this.random.integer(state.params.volumePerTick);
      if (size > 0) this.print(state, this.random.next() < 0.5 ? state.quote.bid : state.quote.ask, new Dec(size));
      if (size > 0 || !state.quote.bid.equals(before.bid) || !state.quote.ask.equals(before.ask)) changed.push(state.instrument.id);
    }
    this.changed(changed);
    return changed;
  }

  /**
   * The market for an FX pair for value on `valueDate`: the listed tenor's own quote when one
   * settles that day, else an outright priced from the spot for that (broken) date, with the pair's
   * spread and no trades of its own.
   */
  fxQuote(spotId: string, valueDate: string): InstrumentQuote | undefined {
    const spot = this.states.get(spotId);
    if (spot === undefined || spot.instrument.assetClass !== 'fx') return undefined;
    const today = this.settings.today();
    const spotDate = fxSpotDate(spot.instrument, today);
    if (valueDate === spotDate) return spot.quote;
    for (const s of this.states.values()) {
      const i = s.instrument;
      if (i.assetClass === 'fx' && i.symbol === spot.instrument.symbol && i.tenor !== 'SPOT' && fxValueDate(i, today) === valueDate) return s.quote;
    }
    const pair = spot.instrument;
    const value = fxForward(spot.value, daysBetween(spotDate, valueDate), this.settings.rates[pair.baseCurrency] ?? 0, this.settings.rates[pair.quoteCurrency] ?? 0);
    const outright: State = { ...spot, value };
    return { ...spot.quote, ...this.sides(outright), last: undefined, lastSize: undefined, volume: new Dec(0), open: undefined, high: undefined, low: undefined } as InstrumentQuote;
  }

  /** A trade the broker made (a fill): it prints on the tape like any other. */
  trade(instrumentId: string, price: Decimal, quantity: Decimal): void {
    const state = this.states.get(instrumentId);
    if (state === undefined) return;
    this.print(state, price, quantity);
    this.changed([instrumentId]);
  }

  /** Sets a base instrument's value by hand (tests, scenarios). */
  setPrice(instrumentId: string, price: Decimal.Value): void {
    const state = this.states.get(instrumentId);
    if (state === undefined) throw new Error(`unknown instrument ${instrumentId}`);
    state.value = Number(new Dec(price));
    state.quote = { ...state.quote, ...this.sides(state) };
    const changed = [instrumentId];
    for (const s of this.states.values()) {
      if (isDerived(s.instrument)) {
        s.value = this.modelValue(s);
        s.quote = { ...s.quote, ...this.sides(s) };
        changed.push(s.instrument.id);
      }
    }
    this.changed(changed);
  }

  private changed(ids: readonly string[]): void {
    if (ids.length > 0) for (const listener of this.listeners) listener(ids);
  }

  private print(state: State, price: Decimal, size: Decimal): void {
    const q = state.quote;
    state.quote = {
      ...q,
      last: price,
      lastSize: size,
      volume: q.volume.plus(size),
      open: q.open ?? price,
      high: q.high === undefined || price.greaterThan(q.high) ? price : q.high,
      low: q.low === undefined || price.lessThan(q.low) ? price : q.low,
    };
  }

  /** Bid and ask around the value: the spread in ticks, the bid at least one tick. */
  private sides(state: State): Pick<InstrumentQuote, 'bid' | 'ask' | 'mid' | 'bidSize' | 'askSize'> {
    const tick = state.tickSize;
    const spread = tick.times(state.params.spreadTicks);
    const bid = Dec.max(floorToTick(new Dec(state.value.toPrecision(15)).minus(spread.dividedBy(2)), tick), tick);
    const ask = bid.plus(spread.isZero() ? tick : spread);
    const size = new Dec(state.params.liquidity);
    return { bid, ask, mid: bid.plus(ask).dividedBy(2), bidSize: size, askSize: size };
  }

  /** An option's Black–Scholes premium, or an FX forward's outright, from the current underlying. */
  private modelValue(state: State): number {
    const today = this.settings.today();
    const i = state.instrument;
    if (i.assetClass === 'option') {
      const underlying = this.states.get(i.underlying);
      if (underlying === undefined) throw new Error(`${i.id}: its underlying ${i.underlying} is not in the market`);
      const years = daysBetween(today, (i as ListedOption).expiry) / 365;
      const vol = this.settings.optionVolatility?.[i.underlying] ?? 0.25;
      return Math.max(blackScholes(i.putCall, underlying.value, Number(i.strike), years, this.settings.rates[i.currency] ?? 0, vol), Number(state.tickSize));
    }
    if (i.assetClass === 'fx') {
      const spot = this.states.get(this.spotOf.get(i.id) as string) as State;
      const days = daysBetween(fxSpotDate(i, today), fxValueDate(i, today));
      return fxForward(spot.value, days, this.settings.rates[i.baseCurrency] ?? 0, this.settings.rates[i.quoteCurrency] ?? 0);
    }
    return state.value;
  }
}

function isDerived(i: Instrument): boolean {
  return i.assetClass === 'option' || (i.assetClass === 'fx' && i.tenor !== 'SPOT');
}

/** Base instruments first, so a derived one finds its underlying priced. */
function derivedRank(i: Instrument): number {
  return isDerived(i) ? 1 : 0;
}

function floorToTick(price: Decimal, tick: Decimal): Decimal {
  return price.dividedBy(tick).floor().times(tick);
}

function onTick(price: Decimal, tick: Decimal): Decimal {
  return Dec.max(price.dividedBy(tick).toDecimalPlaces(0, Dec.ROUND_HALF_EVEN).times(tick), tick);
}
