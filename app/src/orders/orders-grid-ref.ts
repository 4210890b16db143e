import type { GridApi } from 'ag-grid-community';
import type { OrderView } from '../../../shared/contract/views';

/** The mounted orders grid, for shortcuts that act on it from outside (F3, flush before a cancel). */
let ordersGrid: GridApi<OrderView> | null = null;

export function setOrdersGridApi(api: GridApi<OrderView> | null): void {
  ordersGrid = api;
}

export function getOrdersGridApi(): GridApi<OrderView> | null {
  return ordersGrid !== null && !ordersGrid.isDestroyed() ? ordersGrid : null;
}

/** Puts keyboard focus on a grid: its focused row if it has one, else the first row, else the grid itself. */
export function focusGrid(api: GridApi | null, host: HTMLElement | null): void {
  if (api === null) {
    host?.focus();
    return;
  }
  const focused = api.getFocusedCell();
  const firstColumn = api.getAllDisplayedColumns()[0];
  if (api.getDisplayedRowCount() === 0 || firstColumn === undefined) {
    host?.focus();
    return;
  }
  const rowIndex = focused?.rowIndex ?? 0;
  api.ensureIndexVisible(rowIndex);
  api.setFocusedCell(rowIndex, focused?.column ?? firstColumn);
}
