import type { PositionRow } from '../../../shared/contract/positions';
import type { FundConfig } from '../config/funds';
import { fundOfAccount } from '../config/funds';
import type { Instrument } from '../../../shared/domain/instrument';
import { majorUnit } from '../instruments/currencies';
import type { InstrumentMaster } from '../instruments/instrument-master';
import type { MarketDataService } from '../marketdata/market-data-service';
import type { Mark } from '../positions/marks';
import type { FxRate, FxRates, FxSpots } from '../positions/marks';
import { fxRates, fxRouteInstruments, fxSpots, markOf } from '../positions/marks';
import type { PositionState, PositionsView } from '../positions/positions';
import type { FundOf } from '../positions/valuation';
import { valuePosition } from '../positions/valuation';
import type { Clock, TimerHandle } from '../time/clock';

/** The holder of every instrument a position is in (and every FX spot, for rates to the funds' base currencies). */
export const POSITIONS_HOLDER = 'positions';

/** Quotes move many times a second: positions are valued again at most this often for them (fills at once). */
export const REVALUE_MS = 250;

/**
 * Positions valued per event-loop turn in a revaluation: a moved FX spot re-values every position
 * converted through it (10,000 took one 180 ms task); slices of this many measured about 3 ms,
 * 15 ms at most with a GC pause in it (bench suite `positions`).
 */
export const REVALUE_SLICE = 250;

/** Positions a slice may look at per one it values (looking is cheap): bounds a slice when few positions moved. */
const SCAN_PER_VALUED = 16;

/**
 * The positions as the screens see them: valued on the latest marks outside the fold, published as
 * rows keyed by position. A fill publishes its position at once; quotes only mark their instruments
 * dirty, and every REVALUE_MS the positions on those (and those converted through a moved FX spot)
 * are valued again, REVALUE_SLICE per event-loop turn: conflated, never a publish per quote, never
 * one long task for a moved spot.
 */
export class PositionStream {
  private version = 0;
  private readonly funds: ReadonlyMap<string, FundConfig>;
  private readonly spots: FxSpots;
  /** The spot instruments per conversion (currencies > base), computed once. */
  private readonly routes = new Map<string, readonly string[]>();
  private dirty = new Set<string>();
  /** The revaluation under way: the quotes that moved, and the positions still to look at (live: a position a fill adds meanwhile is looked at too). */
  private moved = new Set<string>();
  private queue: Iterator<PositionState> | undefined;
  /** Per position: the quotes it is valued on (its instrument's and its conversion's spots). An account's fund and a key's instrument do not change. */
  private readonly valuedOn = new Map<string, readonly string[]>();
  private timer: TimerHandle | undefined;
  private held = new Set<string>();
  /** Positions whose quotes are all held (until `follow` lets some go): a fill of one of them looks up nothing. */
  private following = new Set<string>();

  constructor(
    private readonly positions: PositionsView,
    funds: readonly FundConfig[],
    private readonly master: InstrumentMaster,
    private readonly marketData: Pick<MarketDataService, 'quote' | 'hold' | 'holdExactly'>,
    private readonly clock: Clock,
    private readonly publish: (row: PositionRow) => void,
    private readonly slice: number = REVALUE_SLICE,
  ) {
    this.funds = fundOfAccount(funds);
    this.spots = fxSpots(master);
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
      if (this.following.has(key)) continue;
      const p = this.positions.get(key);
      if (p === undefined) continue;
      for (const id of this.quotesFor(p.account, p.instrument)) {
        if (this.held.has(id)) continue;
        this.held.add(id);
        unfollowed.push(id);
      }
      this.following.add(key);
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
    this.following = new Set();
    this.marketData.holdExactly(POSITIONS_HOLDER, ids);
  }

  /** Starts a revaluation of the positions on the moved quotes (their instrument's, or a spot their conversion goes through), in slices. */
  private revalue(): void {
    this.timer = undefined;
    this.moved = this.dirty;
    this.dirty = new Set();
    this.queue = this.positions.all();
    this.valueSlice();
  }

  /**
   * Values the next `slice` positions on the moved quotes (looking at no more than SCAN_PER_VALUED
   * times as many), then yields the event loop: fills, commands and socket reads run between slices.
   * Quotes that move meanwhile wait for the next revaluation; a fill publishes its position at once
   * whatever a slice does.
   */
  private valueSlice(): void {
    this.timer = undefined;
    const value = this.valuer();
    let valued = 0;
    let scanned = 0;
    const queue = this.queue as Iterator<PositionState>;
    let done = false;
    while (valued < this.slice && scanned < this.slice * SCAN_PER_VALUED) {
      const next = queue.next();
      if (next.done === true) {
        done = true;
        break;
      }
      scanned++;
      if (!this.onMoved(next.value)) continue;
      const row = value(next.value.key);
      if (row === undefined) continue;
      this.publish(row);
      valued++;
    }
    if (!done) this.timer = this.clock.setTimeout(() => this.valueSlice(), 0);
    else {
      this.queue = undefined;
      this.moved = new Set();
      if (this.dirty.size > 0) this.timer = this.clock.setTimeout(() => this.revalue(), REVALUE_MS);
    }
  }

  /** Whether a quote the position is valued on moved. */
  private onMoved(p: PositionState): boolean {
    let ids = this.valuedOn.get(p.key);
    if (ids === undefined) {
      ids = [p.instrument.id, ...this.rateInstruments(p.account, p.instrument)];
      this.valuedOn.set(p.key, ids);
    }
    for (const id of ids) if (this.moved.has(id)) return true;
    return false;
  }

  /** The quotes a position is valued on: its instrument's (when the master has it) and the spots to its fund's base currency. */
  private quotesFor(account: string, instrument: Instrument): string[] {
    const ids = this.master.get(instrument.id) !== undefined ? [instrument.id] : [];
    return ids.concat(this.rateInstruments(account, instrument));
  }

  /** The spot instruments any route of the position's conversion to its fund's base currency goes through (direct, inverse, crossed). */
  private rateInstruments(account: string, instrument: Instrument): readonly string[] {
    const base = this.funds.get(account)?.baseCurrency ?? 'USD';
    const own = majorUnit(instrument.currency).currency;
    const legs = instrument.assetClass === 'fx' ? [...new Set([own, instrument.baseCurrency])] : [own];
    const key = `${legs.join(',')}>${base}`;
    let ids = this.routes.get(key);
    if (ids === undefined) {
      ids = [...new Set(legs.flatMap((c) => fxRouteInstruments(this.spots, c, base)))];
      this.routes.set(key, ids);
    }
    return ids;
  }

  /** Values positions on the marks as they are now (a mark is computed once per instrument per batch). */
  private valuer(): (key: string) => PositionRow | undefined {
    const marks = new Map<string, Mark | undefined>();
    const mark = (id: string) => {
      if (!marks.has(id)) marks.set(id, markOf(this.marketData.quote(id)));
      return marks.get(id);
    };
    const routed = fxRates(this.spots, mark);
    // One answer per pair per batch (the marks do not move within it): a row converts without looking for routes again.
    const known = new Map<string, FxRate | undefined>();
    const rates: FxRates = (from, to) => {
      const pair = `${from}>${to}`;
      if (known.has(pair)) return known.get(pair);
      const rate = routed(from, to);
      known.set(pair, rate);
      return rate;
    };
    return (key) => {
      const p = this.positions.get(key);
      if (p === undefined) return undefined;
      const fund = this.funds.get(p.account);
      const of: FundOf = fund === undefined ? { fund: '(no fund)', baseCurrency: 'USD' } : { fund: fund.name, baseCurrency: fund.baseCurrency };
      return valuePosition(p, of, mark(p.instrument.id), rates, ++this.version);
    };
  }
}
