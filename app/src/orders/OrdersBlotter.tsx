import type { CellContextMenuEvent, CellDoubleClickedEvent, CellKeyDownEvent, FullWidthCellKeyDownEvent, GridApi, GridOptions } from 'ag-grid-community';
import { useEffect, useRef } from 'react';
import type { OrderView } from '../../../shared/contract/views';
import { deskGridTheme } from '../grid/theme';
import { defaultColumn } from '../grid/columns-common';
import { useAgGrid } from '../grid/use-ag-grid';
import type { FeedSource } from '../grid/use-grid-feed';
import { flushGridFeeds, useGridFeed } from '../grid/use-grid-feed';
import { onOrderChange } from '../store/order-changes';
import { openOrderHistory } from '../history/history-store';
import { orderShortcut } from '../shell/shortcuts';
import { cancelOrder, openAmend, openContextMenu, requestCancelOrders, setSelectedOrderIds } from '../store/actions';
import type { DeskState } from '../store/desk-store';
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

/**
 * The select-all checkbox is offered while the desk could cancel all the rows in one request
 * (cancelOrders takes at most 5,000 orders). Above that it would select what no action can take, and
 * ag-grid recomputes its state with two walks over every row on each selection or model change
 * (~60 ms per click at 100,000 rows). Shift+click and Ctrl+click still select ranges and sets.
 */
const SELECT_ALL_MAX_ROWS = 5_000;
const rowSelectionWithoutSelectAll = { ...rowSelection, headerCheckbox: false } as const;

/** Shows or hides the select-all checkbox as the number of orders crosses SELECT_ALL_MAX_ROWS (before the feed adds them). */
function useSelectAllLimit(api: GridApi<OrderView> | null): void {
  useEffect(() => {
    if (api === null) return;
    let shown: boolean | undefined;
    const update = (state: DeskState): void => {
      const show = state.data.orders.size <= SELECT_ALL_MAX_ROWS;
      if (show === shown || api.isDestroyed()) return;
      shown = show;
      api.setGridOption('rowSelection', show ? rowSelection : rowSelectionWithoutSelectAll);
    };
    update(deskStore.getState());
    return deskStore.subscribe(update);
  }, [api]);
}

const rowClassRules = { 'row-done': (p: { data?: OrderView }) => p.data !== undefined && !isOpenOrder(p.data) };

const ordersLocaleText = { noRowsToShow: 'No orders yet' };

const selectionColumnDef = { pinned: 'left', width: 36, minWidth: 36, resizable: false, suppressHeaderMenuButton: true } as const;

const getRowId = (p: { data: OrderView }) => p.data.orderId;

/** What an order keeps for its whole life: sorted by these, an update never moves a row (see useGridFeed). */
const ordersFeed = { stableColumns: new Set(['orderId', 'createdAt', 'broker', 'account', 'symbol', 'side']) };

const ordersSource: FeedSource<OrderView> = { select: selectOrders, onChange: onOrderChange };

function cancelSelectedNow(): void {
  // Apply any queued row updates first, so the cancel acts on what the grid shows now.
  flushGridFeeds();
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
  const loading = useDesk((s) => s.data.snapshotParts > 0);
  return (
    <span className="toolbar-note" aria-live="polite">
      {loading ? `Loading… ${total} orders so far` : selected > 0 ? `${selected} selected of ${total}` : `${total} orders`}
    </span>
  );
}

function onSelectionChanged(e: { api: GridApi<OrderView> }): void {
  setSelectedOrderIds(e.api.getSelectedRows().map((r) => r.orderId));
}

function onCellKeyDown(e: CellKeyDownEvent<OrderView> | FullWidthCellKeyDownEvent<OrderView>): void {
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
      cancelSelectedNow();
      return;
    case 'contextMenu': {
      const cell = event.target instanceof HTMLElement ? event.target.getBoundingClientRect() : null;
      if (!e.node.isSelected()) e.node.setSelected(true, true);
      openContextMenu({ orderId: order.orderId, x: cell ? cell.left + 8 : 200, y: cell ? cell.bottom : 200 });
      return;
    }
  }
}

function onCellDoubleClicked(e: CellDoubleClickedEvent<OrderView>): void {
  if (e.data === undefined || isRowControl(e.event?.target ?? null)) return;
  openOrderHistory(e.data.orderId);
}

function onCellContextMenu(e: CellContextMenuEvent<OrderView>): void {
  const order = e.data;
  const mouse = e.event;
  if (order === undefined || !(mouse instanceof MouseEvent)) return;
  // Right-clicking outside the selection acts on that row alone, as in a file manager.
  if (!e.node.isSelected()) e.node.setSelected(true, true);
  openContextMenu({ orderId: order.orderId, x: mouse.clientX, y: mouse.clientY });
}

/** The grid's options, once: the callbacks act through the store's module-level actions. */
const ordersGridOptions: GridOptions<OrderView> = {
  theme: deskGridTheme,
  columnDefs: orderColumns,
  defaultColDef: defaultColumn,
  getRowId,
  rowSelection,
  selectionColumnDef,
  animateRows: false,
  // Render every column: a blotter has a couple of dozen, and people (and tests) read them all.
  suppressColumnVirtualisation: true,
  onSelectionChanged,
  onCellKeyDown,
  onCellDoubleClicked,
  onCellContextMenu,
  preventDefaultOnContextMenu: true,
  suppressContextMenu: true,
  tooltipShowDelay: 400,
  rowClassRules,
  localeText: ordersLocaleText,
  suppressCellFocus: false,
  enableCellTextSelection: false,
};

export function OrdersBlotter() {
  const gridRef = useRef<HTMLDivElement>(null);
  const api = useAgGrid(gridRef, ordersGridOptions);
  useSelectAllLimit(api);
  useGridFeed(api, ordersSource, ordersFeed);

  useEffect(() => {
    setOrdersGridApi(api);
    return () => setOrdersGridApi(null);
  }, [api]);

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
      <div className="grid-host" tabIndex={-1} aria-label="Orders blotter">
        <div className="grid-root" ref={gridRef} />
      </div>
    </section>
  );
}
