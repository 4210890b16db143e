import type { ColDef, ICellRendererComp, ICellRendererParams, ValueFormatterParams } from 'ag-grid-community';
import type { OrderView } from '../../../shared/contract/views';
import { groupDecimal, isZeroDecimal } from '../format/decimal';
import { formatTime, orderStatusText, orderTypeLabel, timeInForceLabel } from '../format/labels';
import { StatusBadgeCell } from '../grid/cells';
import { decimalColumn, sideColumn } from '../grid/columns-common';
import { cancelOrder, openAmend } from '../store/actions';
import { deskStore } from '../store/desk-store';
import { amendRefusal, canCancel } from '../store/order-rules';
import { brokerCapabilities } from '../store/selectors';

/**
 * Amend and Cancel buttons on each row, enabled where the desk would accept the request. A plain
 * ag-grid component (no React): refreshed in place when the row's status or pending request changes.
 */
class OrderActionsCell implements ICellRendererComp<OrderView> {
  private readonly gui = document.createElement('div');
  private readonly amend = rowButton('Amend', 'btn btn-row');
  private readonly cancel = rowButton('Cancel', 'btn btn-row btn-danger');
  private orderId: string | undefined;

  init(params: ICellRendererParams<OrderView>): void {
    this.gui.className = 'row-actions';
    this.gui.append(this.amend, this.cancel);
    this.amend.addEventListener('click', () => {
      if (this.orderId !== undefined) openAmend(this.orderId);
    });
    this.cancel.addEventListener('click', () => {
      if (this.orderId !== undefined) void cancelOrder(this.orderId);
    });
    this.render(params.data);
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  refresh(params: ICellRendererParams<OrderView>): boolean {
    this.render(params.data);
    return true;
  }

  private render(order: OrderView | undefined): void {
    this.gui.hidden = order === undefined;
    if (order === undefined) return;
    if (this.orderId !== order.orderId) {
      this.orderId = order.orderId;
      this.amend.setAttribute('aria-label', `Amend order ${order.orderId}`);
      this.cancel.setAttribute('aria-label', `Cancel order ${order.orderId}`);
    }
    const capabilities = brokerCapabilities(deskStore.getState(), order.broker);
    const refusal = amendRefusal(order, capabilities);
    const amendDisabled = refusal !== undefined;
    const cancelDisabled = !canCancel(order);
    if (this.amend.disabled !== amendDisabled) this.amend.disabled = amendDisabled;
    // The broker's refusal is said (a tooltip); the order's own state shows in its status.
    const title = capabilities?.cancelReplace === false ? (refusal ?? '') : '';
    if (this.amend.title !== title) this.amend.title = title;
    if (this.cancel.disabled !== cancelDisabled) this.cancel.disabled = cancelDisabled;
  }
}

function rowButton(text: string, className: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = text;
  return button;
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
