import type { CellContextMenuEvent, CellDoubleClickedEvent, CellKeyDownEvent, FullWidthCellKeyDownEvent, GridApi, GridOptions } from 'ag-grid-community';
import { useEffect, useRef } from 'react';
import type { OrderView } from '../../../shared/contract/views';
import { BLOTTER_VIEWS } from '../../../shared/domain/blotter-views';
import { deskGridTheme } from '../grid/theme';
import { defaultColumn } from '../grid/columns-common';
import { applyGridLayout, captureGridLayout, LAYOUT_EVENTS } from '../grid/grid-layout';
import type { GridFeed } from '../grid/grid-feed';
import { registerBlotterGrid } from '../grid/grid-registry';
import { useAgGrid } from '../grid/use-ag-grid';
import type { FeedSource } from '../grid/use-grid-feed';
import { flushGridFeeds, useGridFeed } from '../grid/use-grid-feed';
import { openOrderHistory } from '../history/history-store';
import { orderShortcut } from '../shell/shortcuts';
import { blotterId } from '../shell/window-role';
import { cancelOrder, openAmend, openContextMenu, openDialog, requestCancelOrders, reticket, reverse, setSelectedOrderIds } from '../store/actions';
import type { DeskState } from '../store/desk-store';
import { deskStore, useDesk } from '../store/desk-store';
import { onOrderChange } from '../store/order-changes';
import { isOpenOrder } from '../store/order-rules';
import { deskNow, localDay, selectOrders } from '../store/selectors';
import { updateBlotterLayout } from '../workspace/workspace-store';
import { copySelectedOrders, exportBlotterCsv } from './orders-actions';
import { setFilterRow, setOrdersView, setQuickFilter, setShownCount } from './orders-blotter-store';
import { ORDER_QUOTE_COLUMNS, orderColumns } from './order-columns';
import { useQuoteColumns } from '../quotes/quote-columns';
import { OrdersFilter, quickFilterWords } from './orders-filter';
import { OrdersGridTarget } from './orders-grid-target';
import { setOrdersGridApi } from './orders-grid-ref';
import { OrdersToolbar } from './OrdersToolbar';

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
      const rows = state.ordersBlotter.scope.kind === 'journal' ? state.ordersBlotter.results.rows.length : state.data.orders.size;
      const show = rows <= SELECT_ALL_MAX_ROWS;
      if (show === shown || api.isDestroyed()) return;
      shown = show;
      api.setGridOption('rowSelection', show ? rowSelection : rowSelectionWithoutSelectAll);
    };
    update(deskStore.getState());
    return deskStore.subscribe(update);
  }, [api]);
}

const rowClassRules = { 'row-done': (p: { data?: OrderView; node?: { rowPinned?: string | null } }) => p.data !== undefined && p.node?.rowPinned == null && !isOpenOrder(p.data) };

const ordersLocaleText = { noRowsToShow: 'No orders to show' };

const selectionColumnDef = { pinned: 'left', width: 36, minWidth: 36, resizable: false, suppressHeaderMenuButton: true } as const;

const getRowId = (p: { data: OrderView }) => p.data.orderId;
const instrumentOfOrder = (o: OrderView) => o.instrumentId;

/** What an order keeps for its whole life: sorted by these, an update never moves a row (see useGridFeed). */
const ordersFeed = { stableColumns: new Set(['orderId', 'createdAt', 'broker', 'account', 'symbol', 'side']) };

const ordersSource: FeedSource<OrderView> = { select: selectOrders, onChange: onOrderChange };

/** The one orders grid of this window's view and quick filter, for ag-grid's external filter callbacks. */
let currentTarget: OrdersGridTarget | null = null;

function cancelSelectedNow(): void {
  // Apply any queued row updates first, so the cancel acts on what the grid shows now.
  flushGridFeeds();
  requestCancelOrders(deskStore.getState().selectedOrderIds);
}

/** A click or a key inside the row's own controls (action buttons, the selection checkbox) is theirs. */
function isRowControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('button, input, a, select, textarea') !== null;
}

function onSelectionChanged(e: { api: GridApi<OrderView> }): void {
  setSelectedOrderIds(e.api.getSelectedRows().map((r) => r.orderId));
}

function onCellKeyDown(e: CellKeyDownEvent<OrderView> | FullWidthCellKeyDownEvent<OrderView>): void {
  const event = e.event;
  const order = e.data;
  if (!(event instanceof KeyboardEvent) || order === undefined || e.node.rowPinned != null) return;
  const action = orderShortcut(event);
  if (action === null) return;
  if (typeof action === 'object') {
    event.preventDefault();
    const view = BLOTTER_VIEWS[action.view];
    if (view !== undefined) setOrdersView(view);
    return;
  }
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
    case 'reticket':
      reticket(order);
      return;
    case 'reverse':
      reverse(order);
      return;
    case 'copyRows':
      void copySelectedOrders();
      return;
    case 'exportCsv':
      exportBlotterCsv(e.api, 'orders');
      return;
    case 'columns':
      openDialog({ kind: 'columns', blotterId: blotterId(deskStore.getState().windowRole, 'orders') });
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
  if (e.data === undefined || e.node.rowPinned != null || isRowControl(e.event?.target ?? null)) return;
  openOrderHistory(e.data.orderId);
}

function onCellContextMenu(e: CellContextMenuEvent<OrderView>): void {
  const order = e.data;
  const mouse = e.event;
  if (order === undefined || e.node.rowPinned != null || !(mouse instanceof MouseEvent)) return;
  // Right-clicking outside the selection acts on that row alone, as in a file manager.
  if (!e.node.isSelected()) e.node.setSelected(true, true);
  openContextMenu({ orderId: order.orderId, x: mouse.clientX, y: mouse.clientY });
}

const today = (): string => localDay(deskNow(deskStore.getState()));

/** The grid's options, once: the callbacks act through the store's module-level actions. */
const ordersGridOptions: GridOptions<OrderView> = {
  theme: deskGridTheme,
  columnDefs: orderColumns({ filterRow: false, today }),
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
  isExternalFilterPresent: () => currentTarget?.filterPresent ?? false,
  doesExternalFilterPass: (node) => node.data === undefined || currentTarget === null || currentTarget.passes(node.data),
  pinnedBottomRowData: [],
  getRowClass: (p) => (p.node.rowPinned === 'bottom' ? 'row-totals' : undefined),
};

/** Orders a warning or error names that nobody has acknowledged yet: the Needs attention view shows them. */
function alertedOrders(state: DeskState): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const alert of state.data.alerts) if (alert.orderId !== undefined && alert.level !== 'info' && alert.acknowledged === undefined) ids.add(alert.orderId);
  return ids;
}

function filterOf(state: DeskState, alerted: ReadonlySet<string>): OrdersFilter {
  const { view, quickFilter } = state.ordersBlotter;
  return new OrdersFilter(view, quickFilterWords(quickFilter), view === 'attention' ? alerted : new Set());
}

/**
 * The orders grid's rows, filters, totals, layout and flash setting, kept in step with the store:
 * live rows through the grid feed (from the deltas), or the journal's pages; the view and quick filter
 * as the external filter; the layout applied when the workspace says so, captured when it changes.
 */
function useOrdersGrid(api: GridApi<OrderView> | null, id: string): OrdersGridTarget | null {
  const targetRef = useRef<OrdersGridTarget | null>(null);
  const feedRef = useRef<GridFeed<OrderView> | null>(null);
  if (api !== null && (targetRef.current === null || targetRef.current.isDestroyed())) {
    targetRef.current = new OrdersGridTarget(api, filterOf(deskStore.getState(), alertedOrders(deskStore.getState())), setShownCount);
  }
  const target = api === null ? null : targetRef.current;

  useEffect(() => {
    if (api === null || target === null) return;
    currentTarget = target;
    setOrdersGridApi(api);
    const unregister = registerBlotterGrid(id, api);

    // View, quick filter, the orders alerts name (for Needs attention).
    let view = deskStore.getState().ordersBlotter.view;
    let quick = deskStore.getState().ordersBlotter.quickFilter;
    let alerts = deskStore.getState().data.alerts;
    let alerted = alertedOrders(deskStore.getState());
    target.setFilter(filterOf(deskStore.getState(), alerted));

    // Rows: the live book, or the journal's pages.
    let scope = deskStore.getState().ordersBlotter.scope.kind;
    let results = deskStore.getState().ordersBlotter.results;
    let journalRowsShown = 0;
    const showJournal = (state: DeskState): void => {
      const next = state.ordersBlotter.results;
      if (next.requestId !== results.requestId || next.rows.length < journalRowsShown) {
        api.setGridOption('rowData', [...next.rows]);
      } else if (next.rows.length > journalRowsShown) {
        api.applyTransaction({ add: next.rows.slice(journalRowsShown) });
      } else return;
      results = next;
      journalRowsShown = next.rows.length;
      target.recount();
    };
    target.presentOnly = scope === 'journal';
    if (scope === 'journal') showJournal(deskStore.getState());

    // Layout: applied when the workspace says so (start, a layout chosen, reset, import).
    let applySeq = -1;
    let applying = false;
    const applyLayout = (state: DeskState): void => {
      if (state.workspace.applySeq === applySeq || !state.workspace.loaded) return;
      applySeq = state.workspace.applySeq;
      const layout = state.workspace.doc.current.blotters[id];
      applying = true;
      try {
        applyGridLayout(api, layout);
        setOrdersView(layout?.view ?? 'all');
        setQuickFilter(layout?.quickFilter ?? '');
        setFilterRow(layout?.filterRow ?? false);
      } finally {
        applying = false;
      }
      captureLayout();
    };
    const captureLayout = (): void => {
      if (applying || api.isDestroyed() || !deskStore.getState().workspace.loaded) return;
      const { view: v, quickFilter, filterRow: row } = deskStore.getState().ordersBlotter;
      updateBlotterLayout(id, { ...captureGridLayout(api), view: v, ...(quickFilter !== '' && { quickFilter }), ...(row && { filterRow: true }) });
    };
    for (const event of LAYOUT_EVENTS) api.addEventListener(event, captureLayout);

    // The filter row is a column setting: the columns are set again when it changes. The flash is the target's.
    let filterRow = deskStore.getState().ordersBlotter.filterRow;
    const setColumns = (): void => api.setGridOption('columnDefs', orderColumns({ filterRow, today }));
    if (filterRow) setColumns();

    const onState = (state: DeskState): void => {
      if (api.isDestroyed()) return;
      applyLayout(state);
      const blotter = state.ordersBlotter;
      const alertsChanged = state.data.alerts !== alerts;
      if (alertsChanged) {
        alerts = state.data.alerts;
        const next = alertedOrders(state);
        const same = next.size === alerted.size && [...next].every((o) => alerted.has(o));
        if (!same) alerted = next;
      }
      if (blotter.view !== view || blotter.quickFilter !== quick || (alertsChanged && blotter.view === 'attention')) {
        view = blotter.view;
        quick = blotter.quickFilter;
        target.setFilter(filterOf(state, alerted));
        captureLayout();
      }
      if (blotter.scope.kind !== scope) {
        scope = blotter.scope.kind;
        target.presentOnly = scope === 'journal';
        journalRowsShown = 0;
        results = blotter.results;
        if (scope === 'journal') {
          api.setGridOption('rowData', [...blotter.results.rows]);
          journalRowsShown = blotter.results.rows.length;
          target.recount();
        } else {
          api.setGridOption('rowData', []);
          feedRef.current?.reset();
          feedRef.current?.flush();
          target.recount();
        }
      } else if (scope === 'journal' && blotter.results !== results) showJournal(state);
      target.flash = state.workspace.doc.attention.flash;
      if (blotter.filterRow !== filterRow) {
        filterRow = blotter.filterRow;
        setColumns();
        captureLayout();
      }
    };
    onState(deskStore.getState());
    const unsubscribe = deskStore.subscribe(onState);
    return () => {
      unsubscribe();
      target.close();
      if (!api.isDestroyed()) for (const event of LAYOUT_EVENTS) api.removeEventListener(event, captureLayout);
      if (currentTarget === target) currentTarget = null;
      setOrdersGridApi(null);
      unregister();
    };
  }, [api, target, id]);

  useGridFeed(api, ordersSource, { ...ordersFeed, ...(target !== null && { target }), feedRef });
  return target;
}

export function OrdersBlotter() {
  const role = useDesk((s) => s.windowRole);
  const id = blotterId(role, 'orders');
  const gridRef = useRef<HTMLDivElement>(null);
  const api = useAgGrid(gridRef, ordersGridOptions);
  useSelectAllLimit(api);
  useOrdersGrid(api, id);
  useQuoteColumns(api, instrumentOfOrder, ORDER_QUOTE_COLUMNS);

  return (
    <section className="panel blotter orders-blotter" aria-labelledby="orders-title">
      <OrdersToolbar api={api} blotterId={id} />
      <div className="grid-host" tabIndex={-1} aria-label="Orders blotter">
        <div className="grid-root" ref={gridRef} />
      </div>
    </section>
  );
}
