import type { CellKeyDownEvent, ColDef, FullWidthCellKeyDownEvent, GridApi, GridOptions, ValueFormatterParams } from 'ag-grid-community';
import { useEffect, useRef } from 'react';
import type { ExecutionView } from '../../../shared/contract/views';
import { execTypeLabel, formatTime, orderStatusLabel } from '../format/labels';
import { SideBadgeCell, StatusBadgeCell } from '../grid/cells';
import { decimalColumn, defaultColumn, sideColumn } from '../grid/columns-common';
import { deskGridTheme } from '../grid/theme';
import { downloadText, fileStamp, toCsv } from '../grid/grid-export';
import { applyGridLayout, captureGridLayout, LAYOUT_EVENTS } from '../grid/grid-layout';
import { registerBlotterGrid } from '../grid/grid-registry';
import { useAgGrid } from '../grid/use-ag-grid';
import { PopOutButton } from '../shell/PopOutButton';
import { blotterShortcut } from '../shell/shortcuts';
import { blotterId } from '../shell/window-role';
import { openDialog, pushLocalAlert } from '../store/actions';
import { deskNow } from '../store/selectors';
import { updateBlotterLayout } from '../workspace/workspace-store';
import { FrameThrottle } from '../grid/grid-feed';
import { browserScheduler, registerGridFeed } from '../grid/use-grid-feed';
import { MAX_EXECUTIONS } from '../store/desk-data';
import type { DeskState } from '../store/desk-store';
import { deskStore, useDesk } from '../store/desk-store';
import { ExecutionTape, fillStateText } from './execution-tape';

const executionColumns: ColDef<ExecutionView>[] = [
  {
    headerName: 'Time',
    colId: 'time',
    width: 80,
    cellClass: 'mono',
    valueGetter: (p) => p.data?.transactTime ?? p.data?.receivedAt ?? '',
    valueFormatter: (p: ValueFormatterParams<ExecutionView, string>) => formatTime(p.value ?? undefined),
  },
  { headerName: 'Exec ID', field: 'execId', width: 96, cellClass: 'mono' },
  { headerName: 'ClOrdID', field: 'clOrdId', width: 110, cellClass: 'mono', hide: true },
  { headerName: 'Order ID', field: 'orderId', width: 100, cellClass: 'mono' },
  { headerName: 'Broker', field: 'broker', width: 74 },
  { headerName: 'Symbol', field: 'symbol', width: 84, cellClass: 'symbol' },
  { ...sideColumn<ExecutionView>(), cellRenderer: SideBadgeCell },
  decimalColumn<ExecutionView>('Last qty', 'lastQty', 88),
  decimalColumn<ExecutionView>('Last px', 'lastPx', 88),
  decimalColumn<ExecutionView>('Cum qty', 'cumQty', 88),
  decimalColumn<ExecutionView>('Avg px', 'avgPx', 88),
  {
    headerName: 'Exec type',
    field: 'execType',
    minWidth: 110,
    flex: 1,
    valueFormatter: (p: ValueFormatterParams<ExecutionView, ExecutionView['execType']>) => (p.value ? execTypeLabel(p.value) : ''),
    cellClassRules: { 'exec-bust': (p) => p.value === 'tradeCancel' || p.value === 'tradeCorrect' },
  },
  {
    headerName: 'Fill state',
    colId: 'fillState',
    width: 150,
    // A fill a later trade bust or correction ended stays listed, struck through, with who ended it.
    valueGetter: (p) => (p.data ? fillStateText(p.data) : ''),
  },
  {
    headerName: 'Status',
    colId: 'status',
    width: 130,
    pinned: 'right',
    valueGetter: (p) => (p.data ? orderStatusLabel(p.data.status) : ''),
    cellRenderer: StatusBadgeCell,
  },
];

const rowClassRules = { 'exec-ended': (p: { data?: ExecutionView }) => p.data !== undefined && p.data.state !== 'active' };
const localeText = { noRowsToShow: 'No executions yet' };

/** Refreshes at most 4 times a second: at firehose rates (thousands of fills a second) nobody reads faster. */
const REFRESH_MS = 250;
/** A growing tape's scroll range (the grid's row count: a forced layout each time) grows at most once per this. */
const GROW_MS = 1_000;

let executionsGrid: GridApi<ExecutionView> | null = null;

/** Shift+F3: focus the executions blotter. */
export function focusExecutionsGrid(): GridApi<ExecutionView> | null {
  return executionsGrid !== null && !executionsGrid.isDestroyed() ? executionsGrid : null;
}

/** Rows the grid loads from the tape at a time. */
const TAPE_BLOCK_SIZE = 100;
const tape = new ExecutionTape(TAPE_BLOCK_SIZE);

/** The grid's options, once: ag-grid's infinite row model over the tape (see execution-tape.ts). */
const executionsGridOptions: GridOptions<ExecutionView> = {
  theme: deskGridTheme,
  columnDefs: executionColumns,
  defaultColDef: defaultColumn,
  rowModelType: 'infinite',
  datasource: tape,
  cacheBlockSize: TAPE_BLOCK_SIZE,
  // Every refresh updates the loaded rows: keep a few blocks, not every block ever scrolled to.
  maxBlocksInCache: 4,
  // Rows are positions on the tape (no getRowId): a refresh rewrites their cells in place.
  rowClassRules,
  animateRows: false,
  // Render every column: a blotter has a couple of dozen, and people (and tests) read them all.
  suppressColumnVirtualisation: true,
  rowBuffer: 2,
  localeText,
  onCellKeyDown,
};

function onCellKeyDown(e: CellKeyDownEvent<ExecutionView> | FullWidthCellKeyDownEvent<ExecutionView>): void {
  const event = e.event;
  if (!(event instanceof KeyboardEvent)) return;
  const action = blotterShortcut(event);
  if (action === null) return;
  event.preventDefault();
  if (action === 'exportCsv') exportExecutionsCsv(e.api);
  else openDialog({ kind: 'columns', blotterId: blotterId(deskStore.getState().windowRole, 'executions') });
}

/**
 * The executions as shown (the tape's order and the visible columns, values as formatted) to a CSV
 * file: every row on the tape, not only the blocks the grid has loaded.
 */
function exportExecutionsCsv(api: GridApi<ExecutionView> | null): void {
  if (api === null || api.isDestroyed()) return;
  const columns = api.getAllDisplayedColumns();
  const cell = (column: (typeof columns)[number], row: ExecutionView): string => {
    const def = column.getColDef();
    const params = { data: row, node: null, colDef: def, column, api, context: undefined };
    const value: unknown = typeof def.valueGetter === 'function' ? def.valueGetter(params as never) : def.field !== undefined ? row[def.field as keyof ExecutionView] : undefined;
    const shown: unknown = typeof def.valueFormatter === 'function' ? def.valueFormatter({ ...params, value } as never) : value;
    return shown === null || shown === undefined ? '' : String(shown);
  };
  const sortModel = api.getColumnState().filter((c) => c.sort != null).map((c) => ({ colId: c.colId, sort: c.sort! }));
  const rows = tape.rows(sortModel).map((row) => columns.map((column) => cell(column, row)));
  const header = columns.map((c) => api.getDisplayNameForColumn(c, null));
  downloadText(`executions-${fileStamp(deskNow(deskStore.getState()))}.csv`, toCsv({ header, rows }), 'text/csv;charset=utf-8');
  pushLocalAlert('info', `Exported ${rows.length} executions rows to CSV`);
}

/** The executions grid's arrangement: applied when the workspace says so, captured when it changes. */
function useExecutionsLayout(api: GridApi<ExecutionView> | null, id: string): void {
  useEffect(() => {
    if (api === null) return;
    const unregister = registerBlotterGrid(id, api);
    let applySeq = -1;
    let applying = false;
    const capture = (): void => {
      if (applying || api.isDestroyed() || !deskStore.getState().workspace.loaded) return;
      updateBlotterLayout(id, captureGridLayout(api));
    };
    const apply = (state: DeskState): void => {
      if (state.workspace.applySeq === applySeq || !state.workspace.loaded || api.isDestroyed()) return;
      applySeq = state.workspace.applySeq;
      applying = true;
      try {
        applyGridLayout(api, state.workspace.doc.current.blotters[id]);
      } finally {
        applying = false;
      }
      capture();
    };
    for (const event of LAYOUT_EVENTS) api.addEventListener(event, capture);
    apply(deskStore.getState());
    const unsubscribe = deskStore.subscribe(apply);
    return () => {
      unsubscribe();
      unregister();
      if (!api.isDestroyed()) for (const event of LAYOUT_EVENTS) api.removeEventListener(event, capture);
    };
  }, [api, id]);
}

/** Shows the store's executions on the tape and the grid's loaded rows, on a frame, at most every REFRESH_MS. */
function useExecutionsFeed(api: GridApi<ExecutionView> | null): void {
  useEffect(() => {
    if (api === null) return;
    let tapeSource: unknown;
    let growAt = Number.NEGATIVE_INFINITY;
    const throttle = new FrameThrottle(
      () => {
        const { data } = deskStore.getState();
        if (api.isDestroyed() || data.snapshotParts > 0 || (data.executions === tapeSource && !tape.countBehind)) return;
        tapeSource = data.executions;
        const now = browserScheduler.now();
        const grow = now >= growAt;
        if (grow) growAt = now + GROW_MS;
        tape.refresh(data.executions, api, grow);
        // The longer scroll range is still due: a later refresh sets it.
        if (tape.countBehind) throttle.request();
      },
      browserScheduler,
      REFRESH_MS,
    );
    throttle.run();
    const unregister = registerGridFeed({ flush: () => throttle.run() });
    const unsubscribe = deskStore.subscribe((state) => {
      if (state.data.executions !== tapeSource && state.data.snapshotParts === 0) throttle.request();
    });
    return () => {
      unsubscribe();
      unregister();
      throttle.close();
    };
  }, [api]);
}

export function ExecutionsBlotter() {
  const role = useDesk((s) => s.windowRole);
  const id = blotterId(role, 'executions');
  const gridRef = useRef<HTMLDivElement>(null);
  const api = useAgGrid(gridRef, executionsGridOptions);
  useExecutionsFeed(api);
  useExecutionsLayout(api, id);
  useEffect(() => {
    executionsGrid = api;
    return () => {
      executionsGrid = null;
    };
  }, [api]);
  return (
    <section className="panel blotter executions-blotter" aria-labelledby="executions-title">
      <div className="panel-toolbar">
        <h2 id="executions-title" className="panel-title">
          Executions <kbd>Shift+F3</kbd>
        </h2>
        <span className="toolbar-note" title={`Older fills are in each order's history (select an order, press H)`}>
          Latest {MAX_EXECUTIONS.toLocaleString('en-US')}, newest first
        </span>
        <div className="toolbar-spacer" />
        <button type="button" className="btn" onClick={() => openDialog({ kind: 'columns', blotterId: id })} title="Show, hide, pin and order the columns (C)">
          Columns
        </button>
        <button type="button" className="btn" onClick={() => exportExecutionsCsv(api)} title="The executions as shown, to a CSV file (E)">
          Export CSV
        </button>
        <PopOutButton panel="executions" />
      </div>
      <div className="grid-host" tabIndex={-1} aria-label="Executions blotter">
        <div className="grid-root" ref={gridRef} />
      </div>
    </section>
  );
}
