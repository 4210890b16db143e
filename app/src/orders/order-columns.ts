import type { ColDef, ValueFormatterParams } from 'ag-grid-community';
import type { CustomCellRendererProps } from 'ag-grid-react';
import type { OrderView } from '../../../shared/contract/views';
import { groupDecimal, isZeroDecimal } from '../format/decimal';
import { formatTime, orderStatusText, orderTypeLabel, timeInForceLabel } from '../format/labels';
import { StatusBadgeCell } from '../grid/cells';
import { decimalColumn, sideColumn } from '../grid/columns-common';
import { cancelOrder, openAmend } from '../store/actions';
import { canAmend, canCancel } from '../store/order-rules';

function OrderActionsCell({ data }: CustomCellRendererProps<OrderView>) {
  if (!data) return null;
  return (
    <div className="row-actions">
      <button
        type="button"
        className="btn btn-row"
        aria-label={`Amend order ${data.orderId}`}
        disabled={!canAmend(data)}
        onClick={() => openAmend(data.orderId)}
      >
        Amend
      </button>
      <button
        type="button"
        className="btn btn-row btn-danger"
        aria-label={`Cancel order ${data.orderId}`}
        disabled={!canCancel(data)}
        onClick={() => void cancelOrder(data.orderId)}
      >
        Cancel
      </button>
    </div>
  );
}

export const orderColumns: ColDef<OrderView>[] = [
  { headerName: 'Order ID', field: 'orderId', width: 104, pinned: 'left', cellClass: 'mono' },
  {
    headerName: 'Time',
    field: 'createdAt',
    width: 80,
    sort: 'desc',
    cellClass: 'mono',
    valueFormatter: (p: ValueFormatterParams<OrderView, string>) => formatTime(p.value ?? undefined),
  },
  { headerName: 'Broker', field: 'broker', width: 74 },
  { headerName: 'Account', field: 'account', width: 104 },
  { headerName: 'Symbol', field: 'symbol', width: 84, cellClass: 'symbol' },
  sideColumn<OrderView>(),
  decimalColumn<OrderView>('Qty', 'quantity'),
  {
    headerName: 'Type',
    field: 'orderType',
    width: 80,
    valueFormatter: (p: ValueFormatterParams<OrderView, OrderView['orderType']>) => (p.value ? orderTypeLabel(p.value) : ''),
  },
  decimalColumn<OrderView>('Limit', 'limitPrice', 90),
  decimalColumn<OrderView>('Stop', 'stopPrice', 84),
  {
    headerName: 'TIF',
    colId: 'timeInForce',
    width: 64,
    valueGetter: (p) =>
      p.data ? timeInForceLabel(p.data.timeInForce) + (p.data.expireDate ? ` ${p.data.expireDate}` : '') : '',
  },
  {
    headerName: 'Status',
    colId: 'status',
    width: 240,
    // Pinned beside the actions so status reads at a glance at any width.
    pinned: 'right',
    valueGetter: (p) => (p.data ? orderStatusText(p.data) : ''),
    cellRenderer: StatusBadgeCell,
    tooltipValueGetter: (p) => (p.data?.text ? `${p.value} — ${p.data.text}` : String(p.value ?? '')),
  },
  decimalColumn<OrderView>('Cum qty', 'cumQty'),
  decimalColumn<OrderView>('Leaves', 'leavesQty'),
  {
    ...decimalColumn<OrderView>('Avg px', 'avgPx', 96),
    // No fills yet: an average of 0 would read like a price.
    valueFormatter: (p: ValueFormatterParams<OrderView, string>) =>
      p.data && isZeroDecimal(p.data.cumQty) ? '' : groupDecimal(p.value ?? undefined),
  },
  { headerName: 'ClOrdID', field: 'clOrdId', width: 130, cellClass: 'mono' },
  { headerName: 'Text', field: 'text', minWidth: 160, flex: 1, tooltipField: 'text', cellClass: 'text-cell' },
  {
    headerName: 'Actions',
    colId: 'actions',
    width: 142,
    pinned: 'right',
    sortable: false,
    resizable: false,
    // The value changes whenever the buttons' enabled state may, so the cell re-renders then.
    valueGetter: (p) => (p.data ? `${p.data.status}|${p.data.pending?.kind ?? ''}` : ''),
    cellRenderer: OrderActionsCell,
  },
];
