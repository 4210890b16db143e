import type { GridApi } from 'ag-grid-community';
import { downloadText, fileStamp, selectedTable, shownTable, toCsv, toText } from '../grid/grid-export';
import { flushGridFeeds } from '../grid/use-grid-feed';
import { pushLocalAlert } from '../store/actions';
import { deskStore } from '../store/desk-store';
import { deskNow } from '../store/selectors';
import { getOrdersGridApi } from './orders-grid-ref';

/** Exports what a blotter shows (its filters, its sort, its visible columns, the values as formatted) as a CSV file. */
export function exportBlotterCsv(api: GridApi | null, name: string): void {
  if (api === null || api.isDestroyed()) return;
  flushGridFeeds();
  const table = shownTable(api);
  downloadText(`${name}-${fileStamp(deskNow(deskStore.getState()))}.csv`, toCsv(table), 'text/csv;charset=utf-8');
  pushLocalAlert('info', `Exported ${table.rows.length} ${name} rows to CSV`);
}

/** Copies the selected orders (else the focused one) as text: a header line and a tab-separated line per order. */
export async function copySelectedOrders(): Promise<void> {
  const api = getOrdersGridApi();
  if (api === null) return;
  flushGridFeeds();
  if (api.getSelectedNodes().length === 0) {
    const focused = api.getFocusedCell();
    const node = focused === null ? undefined : api.getDisplayedRowAtIndex(focused.rowIndex);
    if (node === undefined || node.rowPinned != null) {
      pushLocalAlert('info', 'No order selected to copy');
      return;
    }
    node.setSelected(true);
  }
  const table = selectedTable(api);
  try {
    await navigator.clipboard.writeText(toText(table));
    pushLocalAlert('info', `Copied ${table.rows.length} ${table.rows.length === 1 ? 'order' : 'orders'} as text`);
  } catch {
    pushLocalAlert('warning', 'Could not copy to the clipboard (the browser refused)');
  }
}
