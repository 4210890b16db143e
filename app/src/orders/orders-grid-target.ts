import type { GridApi, IRowNode } from 'ag-grid-community';
import type { OrderView } from '../../../shared/contract/views';
import type { FeedTarget } from '../grid/grid-feed';
import type { OrdersFilter } from './orders-filter';
import { OrderTotals, totalsRow } from './order-totals';

/**
 * The cells that flash when an order's fills or status change (Attention settings: on by default),
 * for the rows that changed only (a column's own flash would also flash the totals row every frame).
 */
const FILL_COLUMNS: readonly string[] = ['filled', 'cumQty', 'leavesQty', 'avgPx'];
const STATUS_COLUMNS: readonly string[] = ['status'];
/** The totals row is rewritten at most this often while rows stream in (a filter change shows it at once). */
const TOTALS_EVERY_MS = 250;

/** The part of ag-grid's api the orders target uses (a fake in tests). */
export type OrdersGridApi = Pick<
  GridApi<OrderView>,
  | 'isDestroyed'
  | 'getRowNode'
  | 'forEachNode'
  | 'forEachNodeAfterFilter'
  | 'applyTransaction'
  | 'getGridOption'
  | 'setGridOption'
  | 'onFilterChanged'
  | 'isColumnFilterPresent'
  | 'getDisplayedRowCount'
  | 'getPinnedBottomRow'
  | 'flashCells'
>;

/**
 * The orders grid as the feed sees it, with what the blotter adds on top of ag-grid:
 *
 *  - the view and quick filter (`OrdersFilter`) are ag-grid's external filter; an update that keeps
 *    each row in or out of what is shown keeps the grid's fast path (no model refresh, see
 *    useGridFeed), and one that moves a row in or out refreshes the model once for that transaction;
 *  - the pinned totals row is kept row by row from the same transactions (the old row out, the new
 *    in, where the filter shows them), shown at most 4 times a second; with ag-grid's column filters set, which only the grid can
 *    evaluate, the totals are recounted from the rows it shows after each model update (throttled);
 *  - `present` mode (journal results shown): the stream only refreshes rows already in the grid.
 */
export class OrdersGridTarget implements FeedTarget<OrderView> {
  private filter: OrdersFilter;
  private totals = new OrderTotals();
  private shownTotals = '';
  private recountTimer: ReturnType<typeof setTimeout> | undefined;
  private totalsTimer: ReturnType<typeof setTimeout> | undefined;
  /** Only rows already in the grid are updated (journal results); nothing is added or removed. */
  presentOnly = false;
  /** Flash the cells an update changed (fills, status): the Attention setting (off by default). */
  flash = false;

  constructor(
    private readonly api: OrdersGridApi,
    filter: OrdersFilter,
    private readonly onShown: (shown: number) => void,
  ) {
    this.filter = filter;
  }

  isDestroyed(): boolean {
    return this.api.isDestroyed();
  }

  getRowNode(id: string): IRowNode<OrderView> | undefined {
    return this.api.getRowNode(id);
  }

  forEachNode(callback: (node: IRowNode<OrderView>) => void): void {
    this.api.forEachNode(callback);
  }

  /** The external filter's predicate (gridOptions.doesExternalFilterPass). */
  passes(order: OrderView): boolean {
    return this.filter.passes(order);
  }

  get filterPresent(): boolean {
    return this.filter.present;
  }

  /** A new view or quick filter: the grid filters again, the totals are recounted. */
  setFilter(filter: OrdersFilter): void {
    this.filter = filter;
    if (this.api.isDestroyed()) return;
    this.api.onFilterChanged();
    this.recount();
  }

  applyTransaction(transaction: { add: OrderView[]; update: OrderView[]; remove: OrderView[] }): void {
    let { add, update, remove } = transaction;
    if (this.presentOnly) {
      add = [];
      remove = [];
      // A journal page may hold a newer version than the stream's (or an older one): newest wins.
      update = update.filter((row) => {
        const shown = this.api.getRowNode(row.orderId)?.data;
        return shown !== undefined && shown.version < row.version;
      });
      if (update.length === 0) return;
    }
    const columnFilters = this.api.isColumnFilterPresent();
    let moved = false;
    const filled: OrderView[] = [];
    const restated: OrderView[] = [];
    for (const row of add) if (!columnFilters && this.filter.passes(row)) this.totals.add(row);
    for (const row of remove) if (!columnFilters && this.filter.passes(row)) this.totals.remove(row);
    for (const row of update) {
      const before = this.api.getRowNode(row.orderId)?.data;
      const was = before !== undefined && this.filter.passes(before);
      const is = this.filter.passes(row);
      if (was !== is) moved = true;
      if (!columnFilters) this.totals.replace(was ? before : undefined, is ? row : undefined);
      if (this.flash && before !== undefined) {
        if (before.cumQty !== row.cumQty || before.avgPx !== row.avgPx) filled.push(row);
        if (before.status !== row.status || before.pending !== row.pending) restated.push(row);
      }
    }
    // An update that moves a row in or out of the view needs the model refresh the fast path skips.
    const suppressed = this.api.getGridOption('suppressModelUpdateAfterUpdateTransaction') === true;
    if (moved && suppressed) this.api.setGridOption('suppressModelUpdateAfterUpdateTransaction', false);
    this.api.applyTransaction({ add, update, remove });
    if (moved && suppressed) this.api.setGridOption('suppressModelUpdateAfterUpdateTransaction', true);
    this.flashRows(filled, FILL_COLUMNS);
    this.flashRows(restated, STATUS_COLUMNS);
    if (columnFilters) this.recountSoon();
    else this.showTotalsSoon();
  }

  /** Flashes these columns' cells of these rows, where they are on screen (ag-grid skips the others). */
  private flashRows(rows: readonly OrderView[], columns: readonly string[]): void {
    if (rows.length === 0) return;
    const rowNodes = rows.map((row) => this.api.getRowNode(row.orderId)).filter((node): node is IRowNode<OrderView> => node !== undefined && node.displayed);
    if (rowNodes.length > 0) this.api.flashCells({ rowNodes, columns: [...columns] });
  }

  /** Recounts the totals from the rows the grid shows (after a filter change, a load, a reset). */
  recount(): void {
    if (this.recountTimer !== undefined) clearTimeout(this.recountTimer);
    this.recountTimer = undefined;
    if (this.api.isDestroyed()) return;
    const totals = new OrderTotals();
    this.api.forEachNodeAfterFilter((node) => {
      if (node.data !== undefined && node.rowPinned == null) totals.add(node.data);
    });
    this.totals = totals;
    this.showTotals();
  }

  close(): void {
    if (this.recountTimer !== undefined) clearTimeout(this.recountTimer);
    if (this.totalsTimer !== undefined) clearTimeout(this.totalsTimer);
  }

  /**
   * The totals row follows the stream at most 4 times a second: it is read, not watched, and
   * rewriting its cells every frame at thousands of fills a second cost style and layout work.
   */
  private showTotalsSoon(): void {
    this.totalsTimer ??= setTimeout(() => {
      this.totalsTimer = undefined;
      if (!this.api.isDestroyed()) this.showTotals();
    }, TOTALS_EVERY_MS);
  }

  /** At most 4 recounts a second while column filters are set (each is a pass over the rows shown). */
  private recountSoon(): void {
    this.recountTimer ??= setTimeout(() => this.recount(), 250);
  }

  private showTotals(): void {
    if (this.totalsTimer !== undefined) clearTimeout(this.totalsTimer);
    this.totalsTimer = undefined;
    const view = this.totals.view();
    const key = `${view.count}|${view.quantity}|${view.cumQty}|${view.leavesQty}|${view.unpriced}|${view.byCurrency.map((c) => `${c.currency}:${c.notional}:${c.filledNotional}`).join(',')}`;
    if (key === this.shownTotals) return;
    this.shownTotals = key;
    const row = totalsRow(view);
    // Updated in place: new pinned row data would redraw every row on screen, each frame.
    const node = this.api.getPinnedBottomRow(0);
    if (node === undefined) this.api.setGridOption('pinnedBottomRowData', [row]);
    else node.updateData(row);
    this.onShown(view.count);
  }
}
