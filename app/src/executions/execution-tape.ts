import type { IDatasource, IGetRowsParams, SortModelItem } from 'ag-grid-community';
import type { ExecutionView } from '../../../shared/contract/views';
import { compareDecimalStrings } from '../format/decimal';

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

  /** Serves these executions (in arrival order, oldest first) from now on. */
  show(executions: ReadonlyMap<string, ExecutionView>): void {
    if (executions === this.shown) return;
    this.shown = executions;
    this.sorted = undefined;
  }

  get size(): number {
    return this.shown.size;
  }

  /** The rows in display order: newest first, or by the sort model. */
  rows(sortModel: readonly SortModelItem[] = []): readonly ExecutionView[] {
    const key = JSON.stringify(sortModel);
    if (this.sorted?.key === key) return this.sorted.rows;
    const rows = [...this.shown.values()].reverse();
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
    const rows = this.rows(params.sortModel);
    params.successCallback(rows.slice(params.startRow, params.endRow), rows.length);
  }
}
