import type { GridApi, GridOptions, IRowNode, PostSortRowsParams, RowClickedEvent, RowDoubleClickedEvent } from 'ag-grid-community';
import { useEffect, useMemo, useRef, useState } from 'react';
import { defaultColumn } from '../grid/columns-common';
import { FrameThrottle } from '../grid/grid-feed';
import { downloadText, fileStamp, shownTable, toCsv } from '../grid/grid-export';
import { deskGridTheme } from '../grid/theme';
import { useAgGrid } from '../grid/use-ag-grid';
import { browserScheduler } from '../grid/use-grid-feed';
import type { ReferenceData } from '../../../shared/contract/views';
import { callDesk } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { positionBook } from './position-book';
import { positionColumns } from './position-columns';
import type { GroupField, PositionGridRow } from './position-groups';
import { filterPositions, groupPositions, keepHierarchy } from './position-groups';
import { PositionsChart } from './PositionsChart';
import { PositionOrdersDialog } from './PositionOrdersDialog';

/** The groupings offered, outermost first. */
const GROUPINGS: ReadonlyArray<{ readonly label: string; readonly by: readonly GroupField[] }> = [
  { label: 'Fund › Asset class', by: ['fund', 'assetClass'] },
  { label: 'Fund › Currency', by: ['fund', 'currency'] },
  { label: 'Fund › Instrument', by: ['fund', 'instrumentId'] },
  { label: 'Asset class › Currency', by: ['assetClass', 'currency'] },
  { label: 'Currency', by: ['currency'] },
  { label: 'Instrument', by: ['instrumentId'] },
  { label: 'No grouping', by: [] },
];

/** One empty list (a selector returning a new one at each call would re-render for ever). */
const NO_FUNDS: NonNullable<ReferenceData['funds']> = [];

/** Everything the grid shows comes from here (read on its frame): the view's current choices. */
const choices = { by: GROUPINGS[0]!.by, expanded: new Set<string>(), filter: '', toggle: (_id: string) => {}, open: (_key: string) => {} };

/** ag-grid sorts a flat list: members go back under their group, in the sort's order. */
function postSortRows(params: PostSortRowsParams<PositionGridRow>): void {
  const nodes = params.nodes;
  // No grouping: no hierarchy to put back (the common case while fills stream: 10,000 rows per frame).
  if (nodes.every((n) => n.data === undefined || n.data.parent === '')) return;
  const sorted = keepHierarchy(nodes.filter((n) => n.data !== undefined).map((n) => ({ id: n.data!.id, parent: n.data!.parent, node: n })));
  nodes.splice(0, nodes.length, ...sorted.map((s) => s.node as IRowNode<PositionGridRow>));
}

const gridOptions: GridOptions<PositionGridRow> = {
  theme: deskGridTheme,
  columnDefs: positionColumns(() => Date.now()),
  defaultColDef: defaultColumn as GridOptions<PositionGridRow>['defaultColDef'],
  getRowId: (p) => p.data.id,
  rowData: [],
  postSortRows,
  animateRows: false,
  // Every column rendered (rows still are virtual): the base-currency figures are read across the width.
  suppressColumnVirtualisation: true,
  rowClassRules: { 'position-group-row': (p) => p.data?.kind === 'group', 'position-total-row': (p) => p.data?.kind === 'total' },
  onRowClicked: (e: RowClickedEvent<PositionGridRow>) => {
    if (e.data?.kind === 'group') choices.toggle(e.data.id);
  },
  onRowDoubleClicked: (e: RowDoubleClickedEvent<PositionGridRow>) => {
    if (e.data?.kind === 'position') choices.open(e.data.position.key);
  },
  localeText: { noRowsToShow: 'No positions: import a start of day, or trade' },
};

/**
 * How often the grid takes the positions' changes at most (on a frame): a fill's position is painted
 * within about this much of its arrival (budget: fill-to-painted-position p95 ≤ 100 ms).
 */
const SHOW_EVERY_MS = 0;

/** What each grid shows now (its rows in order), to update only the rows that changed. */
const shownRows = new WeakMap<GridApi<PositionGridRow>, readonly PositionGridRow[]>();

/**
 * Puts the grouped rows and the grand total in the grid: while the rows are the same ones in the same
 * order (positions valued again, nothing opened, added or filtered) only the changed rows, as one
 * transaction (a position's grid row is the same object until its position changes); else all of them.
 */
function show(api: GridApi<PositionGridRow>): void {
  if (api.isDestroyed()) return;
  const rows = filterPositions(positionBook.all(), choices.filter);
  const grouped = groupPositions(rows, choices.by, choices.expanded);
  const before = shownRows.get(api);
  if (before !== undefined && before.length === grouped.rows.length && grouped.rows.every((r, i) => r.id === before[i]?.id)) {
    const update = grouped.rows.filter((r, i) => r !== before[i]);
    if (update.length > 0) api.applyTransaction({ update });
  } else api.setGridOption('rowData', grouped.rows);
  shownRows.set(api, grouped.rows);
  // Updated in place: new pinned row data would redraw every row on screen, each frame.
  const total = api.getPinnedBottomRow(0);
  if (total === undefined) api.setGridOption('pinnedBottomRowData', [grouped.total]);
  else total.updateData(grouped.total);
}

/**
 * With no column sorted and no column filter, an update cannot move a row: ag-grid then skips its
 * sort, filter and row-position passes over every row after each transaction (10,000 rows, each frame
 * while fills stream), as the orders blotter does (use-grid-feed.ts).
 */
function keepOrderOnUpdates(api: GridApi<PositionGridRow>): void {
  if (api.isDestroyed()) return;
  const stable = !api.isColumnFilterPresent() && api.getColumnState().every((c) => c.sort === null || c.sort === undefined);
  if (api.getGridOption('suppressModelUpdateAfterUpdateTransaction') !== stable) api.setGridOption('suppressModelUpdateAfterUpdateTransaction', stable);
}

/** The positions screen: the grid grouped with subtotals, the charts of one fund, start-of-day import, CSV export. */
export function PositionsView() {
  const host = useRef<HTMLDivElement>(null);
  const api = useAgGrid(host, gridOptions);
  const funds = useDesk((s) => s.data.reference.funds ?? NO_FUNDS);
  const [grouping, setGrouping] = useState(0);
  const [filter, setFilter] = useState('');
  const [fund, setFund] = useState('');
  const [, setExpandedVersion] = useState(0);
  const [importState, setImportState] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const [dialogKey, setDialogKey] = useState<string | null>(null);
  const chartFund = fund !== '' ? fund : (funds[0]?.name ?? '');

  const throttle = useMemo(() => (api === null ? null : new FrameThrottle(() => show(api), browserScheduler, SHOW_EVERY_MS)), [api]);

  useEffect(() => {
    if (throttle === null) return;
    choices.toggle = (id) => {
      if (choices.expanded.has(id)) choices.expanded.delete(id);
      else choices.expanded.add(id);
      setExpandedVersion((v) => v + 1);
      throttle.run();
    };
    choices.open = (key) => setDialogKey(key);
    const keepOrder = () => {
      if (api !== null) keepOrderOnUpdates(api);
    };
    keepOrder();
    api?.addEventListener('sortChanged', keepOrder);
    api?.addEventListener('filterChanged', keepOrder);
    throttle.run();
    const off = positionBook.onChange(() => throttle.request());
    return () => {
      off();
      throttle.close();
      if (api !== null && !api.isDestroyed()) {
        api.removeEventListener('sortChanged', keepOrder);
        api.removeEventListener('filterChanged', keepOrder);
      }
    };
  }, [throttle, api]);

  useEffect(() => {
    choices.by = GROUPINGS[grouping]!.by;
    choices.filter = filter;
    throttle?.run();
  }, [grouping, filter, throttle]);

  const expandAll = (open: boolean) => {
    choices.expanded = new Set();
    if (open) {
      // every group at every level: open a level, then find the groups it shows
      const all = new Set<string>();
      let grown = true;
      while (grown) {
        const rows = groupPositions(positionBook.all(), choices.by, all).rows;
        const before = all.size;
        for (const r of rows) if (r.kind === 'group') all.add(r.id);
        grown = all.size > before;
      }
      choices.expanded = all;
    }
    setExpandedVersion((v) => v + 1);
    throttle?.run();
  };

  const onFile = async (file: File | undefined) => {
    if (file === undefined) return;
    setImportState(null);
    const text = await file.text();
    const result = await callDesk('importStartOfDay', { fileName: file.name, text });
    setImportState(result.ok ? { kind: 'done', text: `Start of day imported from ${file.name}: ${result.value.positions} positions` } : { kind: 'error', text: result.error.message });
  };

  const exportCsv = () => {
    if (api === null) return;
    downloadText(`positions-${fileStamp(new Date())}.csv`, toCsv(shownTable(api)), 'text/csv');
  };

  return (
    <section className="positions-view panel" aria-label="Positions">
      <div className="panel-header positions-toolbar">
        <h2 className="panel-title">Positions</h2>
        <label>
          Group by{' '}
          <select aria-label="Group by" value={grouping} onChange={(e) => setGrouping(Number(e.target.value))}>
            {GROUPINGS.map((g, i) => (
              <option key={g.label} value={i}>
                {g.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-ghost" onClick={() => expandAll(true)}>
          Expand all
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => expandAll(false)}>
          Collapse all
        </button>
        <input className="quick-filter" type="search" placeholder="Filter positions" aria-label="Filter positions" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <label>
          Chart fund{' '}
          <select aria-label="Chart fund" value={chartFund} onChange={(e) => setFund(e.target.value)}>
            {funds.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name} ({f.baseCurrency})
              </option>
            ))}
          </select>
        </label>
        <label className="btn btn-ghost file-button">
          Import start of day…
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label="Import start of day"
            hidden
            onChange={(e) => {
              void onFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" className="btn btn-ghost" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      {importState !== null && (
        <div className={importState.kind === 'error' ? 'positions-import-error' : 'positions-import-done'} role={importState.kind === 'error' ? 'alert' : 'status'}>
          <pre>{importState.text}</pre>
          <button type="button" className="btn btn-ghost" onClick={() => setImportState(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <div className="positions-body">
        <div ref={host} className="grid-host positions-grid" />
        {chartFund !== '' && <PositionsChart fund={chartFund} />}
      </div>
      {dialogKey !== null && <PositionOrdersDialog positionKey={dialogKey} onClose={() => setDialogKey(null)} />}
    </section>
  );
}
