import type { CellContextMenuEvent, CellDoubleClickedEvent, CellKeyDownEvent, FullWidthCellKeyDownEvent, GridApi, GridReadyEvent } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderView } from '../../../shared/contract/views';
import { deskGridTheme } from '../grid/theme';
import { defaultColumn } from '../grid/columns-common';
import { useGridFeed } from '../grid/use-grid-feed';
import { openOrderHistory } from '../history/history-store';
import { orderShortcut } from '../shell/shortcuts';
import { cancelOrder, openAmend, openContextMenu, requestCancelOrders, setSelectedOrderIds } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import { isOpenOrder } from '../store/order-rules';
import { selectCancelableSelectedIds, selectOrders } from '../store/selectors';
import { orderColumns } from './order-columns';
import { setOrdersGridApi } from './orders-grid-ref';

const rowSelection = {
  mode: 'multiRow',
  enableClickSelection: true,
  checkboxes: true,
  headerCheckbox: true,
} as const;

const rowClassRules = { 'row-done': (p: { data?: OrderView }) => p.data !== undefined && !isOpenOrder(p.data) };

const ordersLocaleText = { noRowsToShow: 'No orders yet' };

const selectionColumnDef = { pinned: 'left', width: 36, minWidth: 36, resizable: false, suppressHeaderMenuButton: true } as const;

const getRowId = (p: { data: OrderView }) => p.data.orderId;

function cancelSelectedNow(api: GridApi<OrderView>): void {
  // Apply any queued row updates first, so the cancel acts on what the grid shows now.
  api.flushAsyncTransactions();
  requestCancelOrders(deskStore.getState().selectedOrderIds);
}

function CancelSelectedButton() {
  const count = useDesk((s) => selectCancelableSelectedIds(s).length);
  return (
    <button
      type="button"
      className="btn btn-danger"
      aria-label="Cancel selected orders"
      disabled={count === 0}
      onClick={() => requestCancelOrders(deskStore.getState().selectedOrderIds)}
      title="Shift+Delete"
    >
      Cancel selected{count > 0 ? ` (${count})` : ''}
    </button>
  );
}

/** A click or a key inside the row's own controls (action buttons, the selection checkbox) is theirs. */
function isRowControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('button, input, a, select, textarea') !== null;
}

function HistoryButton() {
  const selected = useDesk((s) => (s.selectedOrderIds.length === 1 ? s.selectedOrderIds[0]! : null));
  return (
    <button
      type="button"
      className="btn"
      aria-label="Show history of the selected order"
      disabled={selected === null}
      onClick={() => selected !== null && openOrderHistory(selected)}
      title={selected === null ? 'Select one order (or press Enter or H on a row, or double-click it)' : `History of ${selected} (Enter or H)`}
    >
      History
    </button>
  );
}

function SelectionCount() {
  const selected = useDesk((s) => s.selectedOrderIds.length);
  const total = useDesk((s) => s.data.orders.size);
  return (
    <span className="toolbar-note" aria-live="polite">
      {selected > 0 ? `${selected} selected of ${total}` : `${total} orders`}
    </span>
  );
}

export function OrdersBlotter() {
  const [api, setApi] = useState<GridApi<OrderView> | null>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  useGridFeed(api, selectOrders);

  useEffect(() => {
    setOrdersGridApi(api);
    return () => setOrdersGridApi(null);
  }, [api]);

  const onGridReady = useCallback((e: GridReadyEvent<OrderView>) => setApi(e.api), []);

  const onSelectionChanged = useCallback((e: { api: GridApi<OrderView> }) => {
    setSelectedOrderIds(e.api.getSelectedRows().map((r) => r.orderId));
  }, []);

  const onCellKeyDown = useCallback((e: CellKeyDownEvent<OrderView> | FullWidthCellKeyDownEvent<OrderView>) => {
    const event = e.event;
    const order = e.data;
    if (!(event instanceof KeyboardEvent) || order === undefined) return;
    const action = orderShortcut(event);
    if (action === null) return;
    // Enter on a focused button or checkbox inside the row presses that control.
    if (action === 'history' && isRowControl(event.target)) return;
    event.preventDefault();
    switch (action) {
      case 'history':
        openOrderHistory(order.orderId);
        return;
      case 'amend':
        openAmend(order.orderId);
        return;
      case 'cancel':
        void cancelOrder(order.orderId);
        return;
      case 'cancelSelected':
        cancelSelectedNow(e.api);
        return;
      case 'contextMenu': {
        const cell = event.target instanceof HTMLElement ? event.target.getBoundingClientRect() : null;
        if (!e.node.isSelected()) e.node.setSelected(true, true);
        openContextMenu({ orderId: order.orderId, x: cell ? cell.left + 8 : 200, y: cell ? cell.bottom : 200 });
        return;
      }
    }
  }, []);

  const onCellDoubleClicked = useCallback((e: CellDoubleClickedEvent<OrderView>) => {
    if (e.data === undefined || isRowControl(e.event?.target ?? null)) return;
    openOrderHistory(e.data.orderId);
  }, []);

  const onCellContextMenu = useCallback((e: CellContextMenuEvent<OrderView>) => {
    const order = e.data;
    const mouse = e.event;
    if (order === undefined || !(mouse instanceof MouseEvent)) return;
    // Right-clicking outside the selection acts on that row alone, as in a file manager.
    if (!e.node.isSelected()) e.node.setSelected(true, true);
    openContextMenu({ orderId: order.orderId, x: mouse.clientX, y: mouse.clientY });
  }, []);

  return (
    <section className="panel blotter orders-blotter" aria-labelledby="orders-title">
      <div className="panel-toolbar">
        <h2 id="orders-title" className="panel-title">
          Orders <kbd>F3</kbd>
        </h2>
        <SelectionCount />
        <div className="toolbar-spacer" />
        <HistoryButton />
        <CancelSelectedButton />
      </div>
      <div className="grid-host" ref={hostRef} tabIndex={-1} aria-label="Orders blotter">
        <AgGridReact<OrderView>
          theme={deskGridTheme}
          columnDefs={orderColumns}
          defaultColDef={defaultColumn}
          getRowId={getRowId}
          rowSelection={rowSelection}
          selectionColumnDef={selectionColumnDef}
          animateRows={false}
          // Render every column: a blotter has a couple of dozen, and people (and tests) read them all.
          suppressColumnVirtualisation
          onGridReady={onGridReady}
          onSelectionChanged={onSelectionChanged}
          onCellKeyDown={onCellKeyDown}
          onCellDoubleClicked={onCellDoubleClicked}
          onCellContextMenu={onCellContextMenu}
          preventDefaultOnContextMenu
          suppressContextMenu
          asyncTransactionWaitMillis={50}
          tooltipShowDelay={400}
          rowClassRules={rowClassRules}
          localeText={ordersLocaleText}
          suppressCellFocus={false}
          enableCellTextSelection={false}
        />
      </div>
    </section>
  );
}
