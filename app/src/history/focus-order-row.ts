import { getOrdersGridApi } from '../orders/orders-grid-ref';

/** Puts keyboard focus back on an order's row in the orders blotter (its cell may have been re-rendered meanwhile). */
export function focusOrderRow(orderId: string): void {
  const api = getOrdersGridApi();
  if (api === null) return;
  const rowIndex = api.getRowNode(orderId)?.rowIndex;
  const column = api.getFocusedCell()?.column ?? api.getAllDisplayedColumns()[0];
  if (rowIndex === undefined || rowIndex === null || column === undefined) return;
  api.ensureIndexVisible(rowIndex);
  api.setFocusedCell(rowIndex, column);
}
