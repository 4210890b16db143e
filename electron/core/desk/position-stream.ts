import type { PositionRow } from '../../../shared/contract/positions';
import type { FundConfig } from '../config/funds';
import { fundOfAccount } from '../config/funds';
import type { Instrument } from '../../../shared/domain/instrument';
import { majorUnit } from '../instruments/currencies';
import type { InstrumentMaster } from '../instruments/instrument-master';
import type { MarketDataService } from '../marketdata/market-data-service';
import type { Mark } from '../positions/marks';
import type { FxSpots } from '../positions/marks';
import { fxRates, fxSpots, markOf } from '../positions/marks';
import type { PositionsView } from '../positions/positions';
import type { FundOf } from '../positions/valuation';
import { valuePosition } from '../positions/valuation';
import type { Clock, TimerHandle } from '../time/clock';

/** The holder of every instrument a position is in (and every FX spot, for rates to the funds' base currencies). */
export const POSITIONS_HOLDER = 'positions';

/** Quotes move many times a second: positions are valued again at most this often for them (fills at once). */
export const REVALUE_MS = 250;

/**
 * The positions as the screens see them: valued on the latest marks outside the fold, published as
 * rows keyed by position. A fill publishes its position at once; quotes only mark their instruments
 * dirty, and every REVALUE_MS the positions on those (all of them when an FX spot moved) are valued
 * again: conflated, never a publish per quote.
 */
export class PositionStream {
  private version = 0;
  private readonly funds: ReadonlyMap<string, FundConfig>;
  private readonly fxSpots: ReadonlySet<string>;
  private readonly spots: FxSpots;
  private readonly dirty = new Set<string>();
  private timer: TimerHandle | undefined;
  private held = new Set<string>();

  constructor(
    private readonly positions: PositionsView,
    funds: readonly FundConfig[],
    private readonly master: InstrumentMaster,
    private readonly marketData: Pick<MarketDataService, 'quote' | 'hold' | 'holdExactly'>,
    private readonly clock: Clock,
    private readonly publish: (row: PositionRow) => void,
  ) {
    this.funds = fundOfAccount(funds);
    this.spots = fxSpots(master);
    this.fxSpots = new Set([...this.spots.values()].map((i) => i.id));
  }

  /** Every position valued now (a snapshot). */
  rows(): PositionRow[] {
    const value = this.valuer();
    return [...this.positions.all()].map((p) => value(p.key)).filter((r) => r !== undefined);
  }

  /** Positions a fill (or a start of day, a roll) changed: their quotes followed and their rows published at once. */
  changed(keys: readonly string[]): void {
    this.followQuotesOf(keys);
    this.publishValued(keys);
  }

  /** Values positions on the marks as they are now and publishes their rows (the desk: once per batch of fills). */
  publishValued(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const value = this.valuer();
    for (const key of keys) {
      const row = value(key);
      if (row !== undefined) this.publish(row);
    }
  }

  /** Follows the quotes of positions a fill changed, at once (a position on a new instrument, or one whose order just ended). */
  followQuotesOf(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const unfollowed: string[] = [];
    for (const key of keys) {
      const p = this.positions.get(key);
      if (p === undefined || this.held.has(p.instrument.id)) continue;
      for (const id of this.quotesFor(p.account, p.instrument)) {
        if (this.held.has(id)) continue;
        this.held.add(id);
        unfollowed.push(id);
      }
    }
    // A new instrument is followed at once; ones no longer held are let go at the next full look (follow).
    if (unfollowed.length > 0) this.marketData.hold(POSITIONS_HOLDER, unfollowed);
  }

  /** A quote moved: its positions are valued again with the next batch. */
  quoteMoved(instrumentId: string): void {
    if (!this.held.has(instrumentId)) return;
    this.dirty.add(instrumentId);
    this.timer ??= this.clock.setTimeout(() => this.revalue(), REVALUE_MS);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Follows the quotes of every instrument held and of the FX spots their conversion to a fund's base currency needs. */
  follow(): void {
    const ids = new Set<string>();
    for (const p of this.positions.all()) for (const id of this.quotesFor(p.account, p.instrument)) ids.add(id);
    if (ids.size === this.held.size && [...ids].every((id) => this.held.has(id))) return;
    this.held = ids;
    this.marketData.holdExactly(POSITIONS_HOLDER, ids);
  }

  private revalue(): void {
    this.timer = undefined;
    const dirty = new Set(this.dirty);
    this.dirty.clear();
    // A moved FX spot re-values only the positions converted through one of its currencies.
    const currencies = new Set<string>();
    for (const spot of this.spots.values()) if (dirty.has(spot.id) && spot.assetClass === 'fx') currencies.add(spot.baseCurrency).add(spot.quoteCurrency);
    const value = this.valuer();
    for (const p of this.positions.all()) {
      if (!dirty.has(p.instrument.id) && !(currencies.size > 0 && this.convertsThrough(p.account, p.instrument, currencies))) continue;
      const row = value(p.key);
      if (row !== undefined) this.publish(row);
    }
  }

  /** The quotes a position is valued on: its instrument's (when the master has it) and the spots to its fund's base currency. */
  private quotesFor(account: string, instrument: Instrument): string[] {
    const ids = this.master.get(instrument.id) !== undefined ? [instrument.id] : [];
    const base = this.funds.get(account)?.baseCurrency ?? 'USD';
    const own = majorUnit(instrument.currency).currency;
    for (const c of instrument.assetClass === 'fx' ? [own, instrument.baseCurrency] : [own]) {
      if (c === base) continue;
      const spot = this.spots.get(`${c}/${base}`) ?? this.spots.get(`${base}/${c}`);
      if (spot !== undefined) ids.push(spot.id);
    }
    return ids;
  }

  /** True when the position's figures in its fund's base currency go through one of `currencies`. */
  private convertsThrough(account: string, instrument: Instrument, currencies: ReadonlySet<string>): boolean {
    const base = this.funds.get(account)?.baseCurrency ?? 'USD';
    const own = majorUnit(instrument.currency).currency;
    const legs = instrument.assetClass === 'fx' ? [own, instrument.baseCurrency] : [own];
    return legs.some((c) => c !== base && (currencies.has(c) || currencies.has(base)));
  }

  /** Values positions on the marks as they are now (a mark is computed once per instrument per batch). */
  private valuer(): (key: string) => PositionRow | undefined {
    const marks = new Map<string, Mark | undefined>();
    const mark = (id: string) => {
      if (!marks.has(id)) marks.set(id, markOf(this.marketData.quote(id)));
      return marks.get(id);
    };
    const rates = fxRates(this.spots, mark);
    return (key) => {
      const p = this.positions.get(key);
      if (p === undefined) return undefined;
      const fund = this.funds.get(p.account);
      const of: FundOf = fund === undefined ? { fund: '(no fund)', baseCurrency: 'USD' } : { fund: fund.name, baseCurrency: fund.baseCurrency };
      return valuePosition(p, of, mark(p.instrument.id), rates, ++this.version);
    };
  }
}
