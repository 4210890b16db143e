import type { IDatasource, IGetRowsParams, SortModelItem } from 'ag-grid-community';
import type { ExecutionView } from '../../../shared/contract/views';
import { compareDecimalStrings } from '../format/decimal';
import { RowMap } from '../store/row-map';

/** What the Fill state column says about an execution. */
export function fillStateText(e: ExecutionView): string {
  if (e.execRefId !== undefined) return `refers to ${e.execRefId}`;
  if (e.reconciled) return 'Reconciled (from status report)';
  if (e.state === 'active') return '';
  return `${e.state === 'busted' ? 'Busted' : 'Corrected'}${e.endedBy ? ` by ${e.endedBy}` : ''}`;
}

/** The value each column sorts by; decimal columns compare as decimals, the others as text. */
const SORT_VALUES: Readonly<Record<string, (e: ExecutionView) => string>> = {
  time: (e) => e.transactTime ?? e.receivedAt,
  execId: (e) => e.execId,
  orderId: (e) => e.orderId,
  broker: (e) => e.broker,
  symbol: (e) => e.symbol,
  side: (e) => e.side,
  lastQty: (e) => e.lastQty,
  lastPx: (e) => e.lastPx,
  cumQty: (e) => e.cumQty,
  avgPx: (e) => e.avgPx,
  execType: (e) => e.execType,
  fillState: fillStateText,
  status: (e) => e.status,
};
const DECIMAL_COLUMNS = new Set(['lastQty', 'lastPx', 'cumQty', 'avgPx']);

/** The part of ag-grid's GridApi the tape's refresh uses (a fake in tests). */
export interface TapeGrid {
  forEachNode(callback: (node: TapeRowNode) => void): void;
  refreshInfiniteCache(): void;
  setRowCount(rowCount: number, maxRowFound?: boolean): void;
}

/** A row of the infinite row model: a position on the tape, loaded (with data) or not yet. */
export interface TapeRowNode {
  readonly rowIndex: number | null;
  readonly data: ExecutionView | undefined;
  updateData(data: ExecutionView): void;
}

/**
 * The executions blotter's rows: the latest executions (the store keeps MAX_EXECUTIONS), newest first
 * or as sorted, served to ag-grid's infinite row model, which holds only the blocks on screen.
 *
 * Why not the client-side row model: at firehose rates every batch of fills puts new rows on top and
 * pushes the visible ones down. Keyed by execution, ag-grid destroyed and built every row on screen
 * per batch (15–60 ms); keyed by position, it updated all 5,000 rows' data per batch (10–25 ms). Here
 * rows are positions on a tape: a refresh reloads the ~100 rows of the loaded blocks in place and only
 * their cells' text changes, whatever the number of executions kept.
 *
 * `show` takes the executions to serve (the feed calls it at most 4 times a second, see
 * ExecutionsBlotter); blocks loaded between two calls (scrolling) come from the same version, so the
 * tape never shows a row twice or skips one at a block boundary.
 */
export class ExecutionTape implements IDatasource {
  private shown: ReadonlyMap<string, ExecutionView> = new Map();
  private sorted: { readonly key: string; readonly rows: readonly ExecutionView[] } | undefined;
  /** The sort the grid last asked for (its loaded rows are in this order). */
  private sortModel: readonly SortModelItem[] = [];
  /** How many rows the grid was last told there are. */
  private served: number | undefined;

  /** `blockSize`: the grid's cacheBlockSize (how many rows it loads at a time). */
  constructor(private readonly blockSize = 100) {}

  /** Serves these executions (in arrival order, oldest first) from now on. */
  show(executions: ReadonlyMap<string, ExecutionView>): void {
    if (executions === this.shown) return;
    this.shown = executions;
    this.sorted = undefined;
  }

  get size(): number {
    return this.shown.size;
  }

  /** The grid was told fewer rows than the tape holds (a refresh with `grow` false). */
  get countBehind(): boolean {
    return this.served !== undefined && this.size > this.served;
  }

  /** The rows in display order: newest first, or by the sort model. */
  rows(sortModel: readonly SortModelItem[] = []): readonly ExecutionView[] {
    const key = JSON.stringify(sortModel);
    if (this.sorted?.key === key) return this.sorted.rows;
    const rows = (this.shown instanceof RowMap ? this.shown.toArray() : [...this.shown.values()]).reverse();
    const keys = sortModel.filter((s) => SORT_VALUES[s.colId] !== undefined);
    if (keys.length > 0) {
      // Array.prototype.sort is stable: ties stay newest first.
      rows.sort((a, b) => {
        for (const { colId, sort } of keys) {
          const value = SORT_VALUES[colId]!;
          const va = value(a);
          const vb = value(b);
          const order = DECIMAL_COLUMNS.has(colId) ? compareDecimalStrings(va, vb) : va < vb ? -1 : va > vb ? 1 : 0;
          if (order !== 0) return sort === 'asc' ? order : -order;
        }
        return 0;
      });
    }
    this.sorted = { key, rows };
    return rows;
  }

  getRows(params: IGetRowsParams): void {
    this.sortModel = params.sortModel;
    const rows = this.rows(params.sortModel);
    this.served = rows.length;
    params.successCallback(rows.slice(params.startRow, params.endRow), rows.length);
  }

  /**
   * Serves `executions` and puts them on the grid's loaded rows: each loaded row that changed gets its
   * new execution by `updateData`, so ag-grid rewrites only the cells whose value changed and
   * refreshes the status badges in place, and a new number of rows is set as such. Reloading the
   * blocks (refreshInfiniteCache) gave every row its data as new ('set'): every cell cleared and
   * rewritten, every badge re-created, the rows loaded in a timer task, then a model update whose
   * redraw had the grid measure its viewport (a forced layout) on the next frame. The blocks are still
   * reloaded the first time, and when the tape grows while the grid holds a block it knew as partly
   * empty (its rows past the old end have no data to update).
   */
  refresh(executions: ReadonlyMap<string, ExecutionView>, grid: TapeGrid, grow = true): void {
    this.show(executions);
    const served = this.served;
    const size = this.size;
    if (served === undefined) {
      grid.refreshInfiniteCache();
      return;
    }
    const loaded: TapeRowNode[] = [];
    grid.forEachNode((node) => loaded.push(node));
    // The block holding the old end, if loaded, has rows without data past it (the first block always).
    const partBlockLoaded = served === 0 || (served % this.blockSize !== 0 && loaded.some((node) => node.rowIndex === served - 1));
    if (size > served && partBlockLoaded) {
      grid.refreshInfiniteCache();
      return;
    }
    // The count first: setRowCount has the grid measure its viewport (a forced layout), cheap while
    // the rows' cells are not yet rewritten. A longer tape only lengthens the scroll range: `grow`
    // false leaves that for a later refresh (the feed grows it about once a second); a shorter one
    // is set at once (rows past the new end must go).
    if (size < served || (size > served && grow)) {
      this.served = size;
      grid.setRowCount(size, true);
    }
    const shown = this.served ?? size;
    const rows = this.rows(this.sortModel);
    for (const node of loaded) {
      const row = node.rowIndex === null || node.rowIndex >= shown ? undefined : rows[node.rowIndex];
      if (row !== undefined && node.data !== undefined && node.data !== row) node.updateData(row);
    }
  }
}
