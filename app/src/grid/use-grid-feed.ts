import type { GridApi } from 'ag-grid-community';
import { useEffect } from 'react';
import type { DeskState } from '../store/desk-store';
import { deskStore } from '../store/desk-store';
import { diffRowMaps } from '../store/row-diff';

/**
 * Feeds a grid from a map in the store: the rows once when the grid is ready, then only the rows
 * that changed, as async transactions (ag-grid batches them), outside React's render cycle.
 * Finding the changed rows costs the number of changes, not of rows (RowMap versions); the grid
 * re-sorts only the rows a transaction touched (deltaSort), not all 100,000 on every batch.
 */
export function useGridFeed<T>(api: GridApi<T> | null, select: (state: DeskState) => ReadonlyMap<string, T>): void {
  useEffect(() => {
    if (api === null) return;
    let previous = select(deskStore.getState());
    api.setGridOption('deltaSort', true);
    api.setGridOption('rowData', [...previous.values()]);
    return deskStore.subscribe((state) => {
      const next = select(state);
      const transaction = diffRowMaps(previous, next);
      previous = next;
      if (transaction !== null && !api.isDestroyed()) api.applyTransactionAsync(transaction);
    });
  }, [api, select]);
}
