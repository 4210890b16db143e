import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderView } from '../../../shared/contract/views';
import { orderRow } from '../store/fixtures.test-util';
import { OrdersFilter, quickFilterWords } from './orders-filter';
import type { OrdersGridApi } from './orders-grid-target';
import { OrdersGridTarget } from './orders-grid-target';
import { orderFilledNotional, orderNotional, OrderTotals, orderValueCurrency, totalsLabel, totalsRow } from './order-totals';

describe('OrderTotals', () => {
  it('adds decimals exactly, however many and however small', () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      orderRow({ orderId: `O-${i}`, quantity: '0.1', limitPrice: '0.2', cumQty: '0.1', leavesQty: '0', avgPx: '0.3' }),
    );
    const view = OrderTotals.of(rows).view();
    // In binary floating point, ten times 0.1 is 0.9999999999999999 and 0.1 × 0.2 is 0.020000000000000004.
    expect(view).toMatchObject({ count: 10, quantity: '1', cumQty: '1', leavesQty: '0', notional: '0.2', filledNotional: '0.3', currency: 'GBX', unpriced: 0 });
  });

  it('values a market order by its fills, and counts one with no fill as unpriced', () => {
    const market = orderRow({ orderId: 'M', orderType: 'market', limitPrice: undefined, quantity: '100', cumQty: '40', leavesQty: '60', avgPx: '12.5' });
    const unfilled = orderRow({ orderId: 'U', orderType: 'market', limitPrice: undefined, quantity: '7', cumQty: '0', leavesQty: '7', avgPx: '0' });
    expect(orderNotional(market)).toBe('1250');
    expect(orderNotional(unfilled)).toBeUndefined();
    expect(OrderTotals.of([market, unfilled]).view()).toMatchObject({ count: 2, quantity: '107', notional: '1250', filledNotional: '500', unpriced: 1 });
  });

  it('values each class by its terms: a future’s multiplier, a bond’s % of par, a price in pence in pounds', () => {
    // ES: 2 contracts at 5,000.25 × 50 = 500,025; a bond: 1,000,000 face at 99.5 % = 995,000; VOD: 1,000 at 72.5p = £725.
    const future = orderRow({ orderId: 'F', assetClass: 'future', currency: 'USD', valueFactor: '50', quantity: '2', limitPrice: '5000.25', cumQty: '1', leavesQty: '1', avgPx: '5000' });
    const bond = orderRow({ orderId: 'B', assetClass: 'bond', currency: 'EUR', valueFactor: '0.01', quantity: '1000000', limitPrice: '99.5', cumQty: '0', leavesQty: '1000000', avgPx: '0' });
    const pence = orderRow({ orderId: 'P', currency: 'GBX', valueFactor: '0.01', valueCurrency: 'GBP', quantity: '1000', limitPrice: '72.5', cumQty: '0', leavesQty: '1000', avgPx: '0' });
    expect(orderNotional(future)).toBe('500025');
    expect(orderFilledNotional(future)).toBe('250000');
    expect(orderNotional(bond)).toBe('995000');
    expect(orderNotional(pence)).toBe('725');
    expect(orderValueCurrency(pence)).toBe('GBP');
  });

  it('adds notionals per currency only, and names the one currency when there is one', () => {
    const usd = orderRow({ orderId: 'U1', currency: 'USD', quantity: '10', limitPrice: '2', cumQty: '0', leavesQty: '10', avgPx: '0' });
    const usd2 = orderRow({ orderId: 'U2', currency: 'USD', quantity: '5', limitPrice: '3', cumQty: '5', leavesQty: '0', avgPx: '3' });
    const eur = orderRow({ orderId: 'E1', currency: 'EUR', quantity: '1', limitPrice: '7', cumQty: '0', leavesQty: '1', avgPx: '0' });
    const one = OrderTotals.of([usd, usd2]).view();
    expect(one).toMatchObject({ notional: '35', filledNotional: '15', currency: 'USD' });
    const totals = OrderTotals.of([usd, usd2, eur]);
    expect(totals.view()).toMatchObject({ count: 3, notional: undefined, filledNotional: undefined, currency: undefined });
    expect(totals.view().byCurrency).toEqual([
      { currency: 'EUR', orders: 1, notional: '7', filledNotional: '0' },
      { currency: 'USD', orders: 2, notional: '35', filledNotional: '15' },
    ]);
    expect(totalsRow(totals.view()).currency).toBe('2 ccys');
    // The last EUR order leaves: one currency again.
    totals.remove(eur);
    expect(totals.view()).toMatchObject({ notional: '35', currency: 'USD', byCurrency: [{ currency: 'USD', orders: 2, notional: '35', filledNotional: '15' }] });
    expect(OrderTotals.of([]).view()).toMatchObject({ count: 0, notional: '0', filledNotional: '0', currency: undefined, byCurrency: [] });
  });

  it('keeps the contract’s largest decimals exact: 18 integer digits × 12 decimals, summed', () => {
    const big = orderRow({ quantity: '999999999999999999.999999999999', limitPrice: '999999999999999999.999999999999', cumQty: '0', leavesQty: '0', avgPx: '0' });
    const totals = OrderTotals.of([big, { ...big, orderId: 'O-2' }]).view();
    expect(totals.quantity).toBe('1999999999999999999.999999999998');
    // (10^18 − 10^−12)² × 2, worked out by hand: 2·10^36 − 4·10^6 + 2·10^−24.
    expect(totals.notional).toBe('1999999999999999999999999999996000000.000000000000000000000002');
  });

  it('follows replacements exactly: the totals of any sequence of changes equal the totals of what is left (property)', () => {
    const decimal = fc.tuple(fc.nat(10 ** 9), fc.nat(10 ** 6)).map(([i, f]) => `${i}.${String(f).padStart(6, '0')}`);
    const version = fc.record({ id: fc.nat(5), quantity: decimal, limit: decimal, cum: decimal, avg: decimal });
    fc.assert(
      fc.property(fc.array(version, { maxLength: 60 }), (changes) => {
        const totals = new OrderTotals();
        const current = new Map<string, OrderView>();
        for (const c of changes) {
          const row = orderRow({ orderId: `O-${c.id}`, quantity: c.quantity, limitPrice: c.limit, cumQty: c.cum, leavesQty: '0', avgPx: c.avg });
          totals.replace(current.get(row.orderId), row);
          current.set(row.orderId, row);
        }
        expect(totals.view()).toEqual(OrderTotals.of(current.values()).view());
      }),
      { numRuns: 200 },
    );
  });
});

/** An ag-grid stand-in: rows by id, the external filter applied on each model refresh, like the client-side model. */
class FakeOrdersGrid implements OrdersGridApi {
  readonly rows = new Map<string, OrderView>();
  pinned: OrderView[] = [];
  pinnedSets = 0;
  flashes: Array<{ ids: string[]; columns: string[] }> = [];
  suppress = true;
  refreshes = 0;
  columnFilter: ((o: OrderView) => boolean) | null = null;
  constructor(private readonly filter: () => OrdersGridTarget) {}
  isDestroyed = () => false;
  getRowNode = ((id: string) => (this.rows.has(id) ? { id, data: this.rows.get(id), displayed: true } : undefined)) as never;
  getPinnedBottomRow = ((index: number) => (this.pinned[index] === undefined ? undefined : { updateData: (data: OrderView) => (this.pinned[index] = data) })) as never;
  flashCells = ((p: { rowNodes: Array<{ id: string }>; columns: string[] }) => this.flashes.push({ ids: p.rowNodes.map((n) => n.id), columns: p.columns })) as never;
  forEachNode = ((cb: (node: { id: string; data: OrderView }) => void) => {
    for (const [id, data] of this.rows) cb({ id, data });
  }) as never;
  forEachNodeAfterFilter = ((cb: (node: { data: OrderView; rowPinned: null }) => void) => {
    for (const data of this.rows.values()) if (this.filter().passes(data) && (this.columnFilter?.(data) ?? true)) cb({ data, rowPinned: null });
  }) as never;
  applyTransaction = ((t: { add?: OrderView[]; update?: OrderView[]; remove?: OrderView[] }) => {
    for (const r of [...(t.add ?? []), ...(t.update ?? [])]) this.rows.set(r.orderId, r);
    for (const r of t.remove ?? []) this.rows.delete(r.orderId);
    if (!this.suppress || (t.add?.length ?? 0) + (t.remove?.length ?? 0) > 0) this.refreshes++;
    return null;
  }) as never;
  getGridOption = ((key: string) => (key === 'suppressModelUpdateAfterUpdateTransaction' ? this.suppress : undefined)) as never;
  setGridOption = ((key: string, value: unknown) => {
    if (key === 'suppressModelUpdateAfterUpdateTransaction') this.suppress = value as boolean;
    if (key === 'pinnedBottomRowData') {
      this.pinned = value as OrderView[];
      this.pinnedSets++;
    }
  }) as never;
  onFilterChanged = (() => this.refreshes++) as never;
  isColumnFilterPresent = () => this.columnFilter !== null;
  getDisplayedRowCount = () => this.rows.size;
  /** The totals row as shown once the pending update has run (it follows the stream at most 4 times a second). */
  totals() {
    vi.advanceTimersByTime(300);
    const row = this.pinned[0] as unknown as { totalsLabel: string; quantity: string; notional: string; filledNotional: string };
    return { ...row, orderId: row.totalsLabel };
  }
}

describe('OrdersGridTarget: totals under the view and quick filter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const setup = (filter: OrdersFilter) => {
    const holder: { target?: OrdersGridTarget } = {};
    const grid = new FakeOrdersGrid(() => holder.target!);
    const shown: number[] = [];
    const target = new OrdersGridTarget(grid, filter, (n) => shown.push(n));
    target.flash = true;
    holder.target = target;
    return { grid, target, shown };
  };

  it('totals only the orders the view shows, exactly, and keeps them as rows change', () => {
    const { grid, target } = setup(new OrdersFilter('working', [], new Set()));
    target.applyTransaction({
      add: [
        orderRow({ orderId: 'A', quantity: '100.1', limitPrice: '10.01', status: 'new' }),
        orderRow({ orderId: 'B', quantity: '50', limitPrice: '20', status: 'filled', cumQty: '50', leavesQty: '0', avgPx: '20' }),
        orderRow({ orderId: 'C', quantity: '0.2', limitPrice: '0.1', status: 'partiallyFilled', cumQty: '0.1', leavesQty: '0.1', avgPx: '0.1' }),
      ],
      update: [],
      remove: [],
    });
    expect(grid.totals()).toMatchObject({ orderId: '2 orders', quantity: '100.3', notional: '1002.021', filledNotional: '0.01' });
    // A fill that keeps C working: no model refresh (the fast path), totals moved by the difference.
    const refreshes = grid.refreshes;
    target.applyTransaction({ add: [], update: [orderRow({ orderId: 'C', quantity: '0.2', limitPrice: '0.1', status: 'partiallyFilled', cumQty: '0.15', leavesQty: '0.05', avgPx: '0.1' })], remove: [] });
    expect(grid.refreshes).toBe(refreshes);
    expect(grid.totals()).toMatchObject({ orderId: '2 orders', filledNotional: '0.015' });
    // A fill that completes A moves it out of Working: one refresh, and A leaves the totals.
    target.applyTransaction({ add: [], update: [orderRow({ orderId: 'A', quantity: '100.1', limitPrice: '10.01', status: 'filled', cumQty: '100.1', leavesQty: '0', avgPx: '10' })], remove: [] });
    expect(grid.refreshes).toBe(refreshes + 1);
    expect(grid.suppress).toBe(true);
    expect(grid.totals()).toMatchObject({ orderId: '1 order', quantity: '0.2', notional: '0.02' });
    // One totals row, updated in place; the cells that changed flash (C's fills; A's fills and status).
    expect(grid.pinnedSets).toBe(1);
    expect(grid.flashes).toEqual([
      { ids: ['C'], columns: ['filled', 'cumQty', 'leavesQty', 'avgPx'] },
      { ids: ['A'], columns: ['filled', 'cumQty', 'leavesQty', 'avgPx'] },
      { ids: ['A'], columns: ['status'] },
    ]);
    target.flash = false;
    target.applyTransaction({ add: [], update: [orderRow({ orderId: 'C', quantity: '0.2', limitPrice: '0.1', status: 'partiallyFilled', cumQty: '0.2', leavesQty: '0', avgPx: '0.1' })], remove: [] });
    expect(grid.flashes).toHaveLength(3);
  });

  it('recounts under a new quick filter, and under ag-grid column filters from the rows the grid shows', () => {
    const { grid, target, shown } = setup(OrdersFilter.none);
    target.applyTransaction({
      add: [orderRow({ orderId: 'A', symbol: 'AAPL', quantity: '1' }), orderRow({ orderId: 'M', symbol: 'MSFT', quantity: '2' }), orderRow({ orderId: 'N', symbol: 'NVDA', account: 'FUND-AAPL', quantity: '4' })],
      update: [],
      remove: [],
    });
    expect(grid.totals().quantity).toBe('7');
    target.setFilter(new OrdersFilter('all', quickFilterWords('aapl'), new Set()));
    expect(grid.totals()).toMatchObject({ orderId: '2 orders', quantity: '5' });
    grid.columnFilter = (o) => o.symbol === 'NVDA';
    target.recount();
    expect(grid.totals()).toMatchObject({ orderId: '1 order', quantity: '4' });
    expect(shown.at(-1)).toBe(1);
  });

  it('in journal mode only refreshes the rows shown, with a newer version only', () => {
    const { grid, target } = setup(OrdersFilter.none);
    grid.rows.set('J', orderRow({ orderId: 'J', version: 5, quantity: '3' }));
    target.presentOnly = true;
    target.applyTransaction({ add: [orderRow({ orderId: 'LIVE' })], update: [orderRow({ orderId: 'J', version: 4 })], remove: [] });
    expect([...grid.rows.keys()]).toEqual(['J']);
    expect(grid.rows.get('J')?.version).toBe(5);
    target.applyTransaction({ add: [], update: [orderRow({ orderId: 'J', version: 6, quantity: '3' })], remove: [] });
    expect(grid.rows.get('J')?.version).toBe(6);
  });

  it('the totals row says how many orders, and how many have no price', () => {
    expect(totalsLabel(totalsRow({ count: 1234, quantity: '1', cumQty: '0', leavesQty: '1', notional: '0', filledNotional: '0', currency: 'USD', byCurrency: [], unpriced: 2 }))).toBe('1,234 orders (2 unpriced)');
  });
});
