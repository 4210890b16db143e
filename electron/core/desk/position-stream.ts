import type { PositionRow } from '../../../shared/contract/positions';
import type { FundConfig } from '../config/funds';
import { fundOfAccount } from '../config/funds';
import type { InstrumentMaster } from '../instruments/instrument-master';
import type { MarketDataService } from '../marketdata/market-data-service';
import type { Mark } from '../positions/marks';
import { fxRates, markOf } from '../positions/marks';
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
  private readonly dirty = new Set<string>();
  private timer: TimerHandle | undefined;
  private held = new Set<string>();

  constructor(
    private readonly positions: PositionsView,
    funds: readonly FundConfig[],
    private readonly master: InstrumentMaster,
    private readonly marketData: Pick<MarketDataService, 'quote' | 'holdExactly'>,
    private readonly clock: Clock,
    private readonly publish: (row: PositionRow) => void,
  ) {
    this.funds = fundOfAccount(funds);
    this.fxSpots = new Set(master.all().filter((i) => i.assetClass === 'fx' && i.tenor === 'SPOT').map((i) => i.id));
  }

  /** Every position valued now (a snapshot). */
  rows(): PositionRow[] {
    const value = this.valuer();
    return [...this.positions.all()].map((p) => value(p.key)).filter((r) => r !== undefined);
  }

  /** Positions a fill (or a start of day, a roll) changed: published at once. */
  changed(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const value = this.valuer();
    for (const key of keys) {
      const row = value(key);
      if (row !== undefined) this.publish(row);
    }
    this.follow();
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

  /** Follows the quotes of every instrument held and of the FX spots. */
  follow(): void {
    const ids = new Set(this.fxSpots);
    for (const p of this.positions.all()) if (this.master.get(p.instrument.id) !== undefined) ids.add(p.instrument.id);
    if (ids.size === this.held.size && [...ids].every((id) => this.held.has(id))) return;
    this.held = ids;
    this.marketData.holdExactly(POSITIONS_HOLDER, ids);
  }

  private revalue(): void {
    this.timer = undefined;
    const all = [...this.dirty].some((id) => this.fxSpots.has(id));
    const dirty = new Set(this.dirty);
    this.dirty.clear();
    const value = this.valuer();
    for (const p of this.positions.all()) {
      if (!all && !dirty.has(p.instrument.id)) continue;
      const row = value(p.key);
      if (row !== undefined) this.publish(row);
    }
  }

  /** Values positions on the marks as they are now (a mark is computed once per instrument per batch). */
  private valuer(): (key: string) => PositionRow | undefined {
    const marks = new Map<string, Mark | undefined>();
    const mark = (id: string) => {
      if (!marks.has(id)) marks.set(id, markOf(this.marketData.quote(id)));
      return marks.get(id);
    };
    const rates = fxRates(this.master, mark);
    return (key) => {
      const p = this.positions.get(key);
      if (p === undefined) return undefined;
      const fund = this.funds.get(p.account);
      const of: FundOf = fund === undefined ? { fund: '(no fund)', baseCurrency: 'USD' } : { fund: fund.name, baseCurrency: fund.baseCurrency };
      return valuePosition(p, of, mark(p.instrument.id), rates, ++this.version);
    };
  }
}
