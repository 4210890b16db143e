import type { GridApi, IRowNode } from 'ag-grid-community';
import { useEffect } from 'react';
import { FrameThrottle } from '../grid/grid-feed';
import { browserScheduler } from '../grid/use-grid-feed';
import type { QuoteBook } from './quote-book';
import { quoteBook } from './quote-book';

/**
 * Keeps a grid's quote columns (last price, distance from the limit…) current without touching its
 * rows: the cells read the quote book in their value getters, and this refreshes those columns of the
 * rows on screen whose instrument changed, at most once per `minIntervalMs` (conflated: whatever
 * arrived in between shows as its latest). Rows off screen read the book when they scroll in. Cost per
 * refresh follows the rows on screen, never the quote rate or the book's size.
 */
export class QuoteColumnsRefresher<T> {
  private readonly changed = new Set<string>();
  private all = false;
  private readonly throttle: FrameThrottle;
  private readonly stopBatch: () => void;
  private readonly stopReset: () => void;

  constructor(
    private readonly api: Pick<GridApi<T>, 'isDestroyed' | 'getRenderedNodes' | 'refreshCells'>,
    private readonly instrumentOf: (row: T) => string | undefined,
    private readonly columns: readonly string[],
    book: QuoteBook,
    scheduler = browserScheduler,
    minIntervalMs = 250,
  ) {
    this.throttle = new FrameThrottle(() => this.refresh(), scheduler, minIntervalMs);
    this.stopBatch = book.onBatch((changed) => {
      changed.forEach((_, id) => this.changed.add(id));
      this.throttle.request();
    });
    this.stopReset = book.onReset(() => {
      this.all = true;
      this.throttle.request();
    });
  }

  close(): void {
    this.stopBatch();
    this.stopReset();
    this.throttle.close();
  }

  private refresh(): void {
    if (this.api.isDestroyed()) return;
    const rowNodes: IRowNode<T>[] = [];
    for (const node of this.api.getRenderedNodes()) {
      const id = node.data === undefined ? undefined : this.instrumentOf(node.data);
      if (id !== undefined && (this.all || this.changed.has(id))) rowNodes.push(node);
    }
    this.changed.clear();
    this.all = false;
    if (rowNodes.length > 0) this.api.refreshCells({ rowNodes, columns: [...this.columns] });
  }
}

export function useQuoteColumns<T>(api: GridApi<T> | null, instrumentOf: (row: T) => string | undefined, columns: readonly string[], minIntervalMs = 250): void {
  useEffect(() => {
    if (api === null) return;
    const refresher = new QuoteColumnsRefresher(api, instrumentOf, columns, quoteBook, browserScheduler, minIntervalMs);
    return () => refresher.close();
    // instrumentOf and columns are module constants by contract.
  }, [api, minIntervalMs]);
}
