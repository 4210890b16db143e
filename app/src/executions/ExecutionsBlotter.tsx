import type { ColDef, GridApi, GridOptions, ValueFormatterParams } from 'ag-grid-community';
import { useEffect, useRef } from 'react';
import type { ExecutionView } from '../../../shared/contract/views';
import { execTypeLabel, formatTime, orderStatusLabel } from '../format/labels';
import { StatusBadgeCell } from '../grid/cells';
import { decimalColumn, defaultColumn, sideColumn } from '../grid/columns-common';
import { deskGridTheme } from '../grid/theme';
import { useAgGrid } from '../grid/use-ag-grid';
import { FrameThrottle } from '../grid/grid-feed';
import { browserScheduler, registerGridFeed } from '../grid/use-grid-feed';
import { MAX_EXECUTIONS } from '../store/desk-data';
import { deskStore } from '../store/desk-store';
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
  { headerName: 'Order ID', field: 'orderId', width: 100, cellClass: 'mono' },
  { headerName: 'Broker', field: 'broker', width: 74 },
  { headerName: 'Symbol', field: 'symbol', width: 84, cellClass: 'symbol' },
  sideColumn<ExecutionView>(),
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
};

/** Shows the store's executions on the tape and the grid's loaded rows, on a frame, at most every REFRESH_MS. */
function useExecutionsFeed(api: GridApi<ExecutionView> | null): void {
  useEffect(() => {
    if (api === null) return;
    let tapeSource: unknown;
    const throttle = new FrameThrottle(
      () => {
        const { data } = deskStore.getState();
        if (api.isDestroyed() || data.snapshotParts > 0 || data.executions === tapeSource) return;
        tapeSource = data.executions;
        tape.refresh(data.executions, api);
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
  const gridRef = useRef<HTMLDivElement>(null);
  const api = useAgGrid(gridRef, executionsGridOptions);
  useExecutionsFeed(api);
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
      </div>
      <div className="grid-host" tabIndex={-1} aria-label="Executions blotter">
        <div className="grid-root" ref={gridRef} />
      </div>
    </section>
  );
}
