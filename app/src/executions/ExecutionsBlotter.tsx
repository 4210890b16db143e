import type { ColDef, GridApi, GridReadyEvent, ValueFormatterParams } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useState } from 'react';
import type { ExecutionView } from '../../../shared/contract/views';
import { execTypeLabel, formatTime, orderStatusLabel } from '../format/labels';
import { StatusBadgeCell } from '../grid/cells';
import { decimalColumn, defaultColumn, sideColumn } from '../grid/columns-common';
import { deskGridTheme } from '../grid/theme';
import { useGridFeed } from '../grid/use-grid-feed';
import { selectExecutions } from '../store/selectors';

const executionColumns: ColDef<ExecutionView>[] = [
  {
    headerName: 'Time',
    colId: 'time',
    width: 80,
    sort: 'desc',
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
    valueGetter: (p) => {
      const e = p.data;
      if (!e) return '';
      if (e.execRefId !== undefined) return `refers to ${e.execRefId}`;
      if (e.reconciled) return 'Reconciled (from status report)';
      if (e.state === 'active') return '';
      return `${e.state === 'busted' ? 'Busted' : 'Corrected'}${e.endedBy ? ` by ${e.endedBy}` : ''}`;
    },
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

const getRowId = (p: { data: ExecutionView }) => p.data.execKey;
const rowClassRules = { 'exec-ended': (p: { data?: ExecutionView }) => p.data !== undefined && p.data.state !== 'active' };
const localeText = { noRowsToShow: 'No executions yet' };

let executionsGrid: GridApi<ExecutionView> | null = null;

/** Shift+F3: focus the executions blotter. */
export function focusExecutionsGrid(): GridApi<ExecutionView> | null {
  return executionsGrid !== null && !executionsGrid.isDestroyed() ? executionsGrid : null;
}

export function ExecutionsBlotter() {
  const [api, setApi] = useState<GridApi<ExecutionView> | null>(null);
  useGridFeed(api, selectExecutions);
  useEffect(() => {
    executionsGrid = api;
    return () => {
      executionsGrid = null;
    };
  }, [api]);
  const onGridReady = useCallback((e: GridReadyEvent<ExecutionView>) => setApi(e.api), []);
  return (
    <section className="panel blotter executions-blotter" aria-labelledby="executions-title">
      <div className="panel-toolbar">
        <h2 id="executions-title" className="panel-title">
          Executions <kbd>Shift+F3</kbd>
        </h2>
      </div>
      <div className="grid-host" tabIndex={-1} aria-label="Executions blotter">
        <AgGridReact<ExecutionView>
          theme={deskGridTheme}
          columnDefs={executionColumns}
          defaultColDef={defaultColumn}
          getRowId={getRowId}
          rowClassRules={rowClassRules}
          onGridReady={onGridReady}
          asyncTransactionWaitMillis={50}
          animateRows={false}
          // Render every column: a blotter has a couple of dozen, and people (and tests) read them all.
          suppressColumnVirtualisation
          localeText={localeText}
        />
      </div>
    </section>
  );
}
