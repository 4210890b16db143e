import type { CellClassParams, CellDoubleClickedEvent, CellKeyDownEvent, ColDef, FullWidthCellKeyDownEvent, GridApi, GridOptions, ValueFormatterParams } from 'ag-grid-community';
import { useEffect, useRef, useState } from 'react';
import type { AssetClass } from '../../../shared/domain/order-types';
import { MARKET_WATCH_MAX } from '../../../shared/contract/workspace';
import type { Instrument } from '../../../shared/domain/instrument';
import type { QuoteView } from '../../../shared/contract/market-data';
import { compareDecimalStrings, groupDecimal } from '../format/decimal';
import { defaultColumn } from '../grid/columns-common';
import { deskGridTheme } from '../grid/theme';
import { useAgGrid } from '../grid/use-ag-grid';
import { knownInstrument, rememberInstruments } from '../instruments/instrument-cache';
import { CLASS_BADGES, CLASS_NAMES } from '../instruments/instrument-terms';
import { InstrumentPicker } from '../instruments/InstrumentPicker';
import { quoteBook } from '../quotes/quote-book';
import type { LiveQuoteCellParams, QuoteCellContent } from '../quotes/live-quote-cell';
import { LiveQuoteCell } from '../quotes/live-quote-cell';
import { quoteSubscriptions } from '../quotes/use-quote';
import { callDesk, pushLocalAlert, ticketForInstrument } from '../store/actions';
import { setMarketWatch, useWorkspace } from '../workspace/workspace-store';
import { changeOf, moveInList, quoteState, signed } from './watch-values';

/** One row of the watch: the instrument as far as this window knows it (its id until its terms arrive). */
export interface WatchRow {
  readonly instrumentId: string;
  readonly symbol: string;
  readonly name: string;
  readonly assetClass?: AssetClass;
  readonly currency: string;
}

const rowOf = (id: string, i: Instrument | undefined): WatchRow =>
  i === undefined ? { instrumentId: id, symbol: id, name: '', currency: '' } : { instrumentId: id, symbol: i.symbol, name: i.name, assetClass: i.assetClass, currency: i.currency };

const quoteOf = (p: { data?: WatchRow }) => (p.data === undefined ? undefined : quoteBook.get(p.data.instrumentId));

/** A quote column's cells paint themselves as their instrument's quote changes (live-quote-cell.ts). */
function live(show: (quote: QuoteView | undefined) => QuoteCellContent): Pick<ColDef<WatchRow>, 'cellRenderer' | 'cellRendererParams'> {
  const params: LiveQuoteCellParams<WatchRow> = { instrumentOf: (r) => r.instrumentId, show: (_, quote) => show(quote) };
  return { cellRenderer: LiveQuoteCell, cellRendererParams: params };
}

const price = (headerName: string, colId: 'bid' | 'ask' | 'last' | 'volume', width = 84): ColDef<WatchRow> => ({
  headerName,
  colId,
  width,
  type: 'rightAligned',
  cellClass: `num quote-${colId}-cell`,
  valueGetter: (p) => quoteOf(p)?.[colId],
  valueFormatter: (p: ValueFormatterParams<WatchRow, string | undefined>) => groupDecimal(p.value ?? undefined),
  comparator: (a: string | undefined, b: string | undefined) => compareDecimalStrings(a, b),
  ...live((q) => ({ text: groupDecimal(q?.[colId]), className: q?.stale === true ? 'quote-stale-cell' : '' })),
});

const changeClass = (q: QuoteView | undefined): string => {
  const c = changeOf(q);
  return c === undefined || /^0(\.0*)?$/.test(c.change) ? '' : c.change.startsWith('-') ? 'tick-down' : 'tick-up';
};

const watchColumns: ColDef<WatchRow>[] = [
  { headerName: 'Symbol', field: 'symbol', width: 110, rowDrag: true, cellClass: 'symbol', tooltipValueGetter: (p) => (p.data ? `${p.data.name} (${p.data.instrumentId})` : undefined) },
  {
    headerName: 'Class',
    field: 'assetClass',
    width: 62,
    valueFormatter: (p: ValueFormatterParams<WatchRow, AssetClass | undefined>) => (p.value ? CLASS_BADGES[p.value] : ''),
    tooltipValueGetter: (p) => (p.data?.assetClass ? CLASS_NAMES[p.data.assetClass] : undefined),
    cellClass: (p: CellClassParams<WatchRow>) => (p.data?.assetClass ? `class-text class-${p.data.assetClass}` : undefined),
  },
  price('Bid', 'bid'),
  price('Ask', 'ask'),
  price('Last', 'last'),
  {
    headerName: 'Chg',
    colId: 'change',
    width: 76,
    type: 'rightAligned',
    headerTooltip: 'Last minus the previous close',
    valueGetter: (p) => changeOf(quoteOf(p))?.change,
    valueFormatter: (p: ValueFormatterParams<WatchRow, string | undefined>) => signed(p.value ?? undefined),
    comparator: (a: string | undefined, b: string | undefined) => compareDecimalStrings(a, b),
    cellClass: 'num',
    ...live((q) => ({ text: signed(changeOf(q)?.change), className: changeClass(q) })),
  },
  {
    headerName: 'Chg %',
    colId: 'changePercent',
    width: 70,
    type: 'rightAligned',
    valueGetter: (p) => changeOf(quoteOf(p))?.percent,
    valueFormatter: (p: ValueFormatterParams<WatchRow, string | undefined>) => (p.value ? `${signed(p.value, 2)}%` : ''),
    comparator: (a: string | undefined, b: string | undefined) => compareDecimalStrings(a, b),
    cellClass: 'num',
    ...live((q) => {
      const percent = changeOf(q)?.percent;
      return { text: percent ? `${signed(percent, 2)}%` : '', className: changeClass(q) };
    }),
  },
  price('Volume', 'volume', 96),
  { headerName: 'Ccy', field: 'currency', width: 56 },
  {
    headerName: 'State',
    colId: 'state',
    width: 80,
    valueGetter: (p) => (p.data === undefined ? '' : quoteState(quoteOf(p))),
    ...live((q) => {
      const state = quoteState(q);
      return { text: state, className: state === 'stale' || state.startsWith('refused') ? 'cell-stale' : '' };
    }),
    tooltipValueGetter: (p) => {
      const q = quoteOf(p);
      return q === undefined ? 'No quote yet' : `${q.stale ? 'Stale: no update since' : 'Updated'} ${new Date(q.updatedAt).toLocaleTimeString()} (${q.source})`;
    },
  },
];

let watchApi: GridApi<WatchRow> | null = null;

/** The market watch's grid in this window (W focuses it), or null. */
export function marketWatchApi(): GridApi<WatchRow> | null {
  return watchApi !== null && !watchApi.isDestroyed() ? watchApi : null;
}

function currentList(): readonly string[] {
  const ids: string[] = [];
  watchApi?.forEachNode((n) => {
    if (n.data) ids.push(n.data.instrumentId);
  });
  return ids;
}

/** Double-click or Enter: the ticket takes the instrument; on the bid, a sell at the bid; on the ask, a buy at the ask. */
function toTicket(row: WatchRow, colId: string | undefined): void {
  const quote = quoteBook.get(row.instrumentId);
  if (colId === 'bid' && quote?.bid !== undefined) ticketForInstrument({ instrumentId: row.instrumentId, limitPrice: quote.bid }, 'sell');
  else if (colId === 'ask' && quote?.ask !== undefined) ticketForInstrument({ instrumentId: row.instrumentId, limitPrice: quote.ask }, 'buy');
  else ticketForInstrument({ instrumentId: row.instrumentId });
}

function removeInstrument(id: string): void {
  setMarketWatch(currentList().filter((x) => x !== id));
}

function onCellKeyDown(e: CellKeyDownEvent<WatchRow> | FullWidthCellKeyDownEvent<WatchRow>): void {
  const event = e.event;
  const row = e.data;
  if (!(event instanceof KeyboardEvent) || row === undefined) return;
  if (event.key === 'Delete' || event.key === 'Backspace') {
    event.preventDefault();
    removeInstrument(row.instrumentId);
  } else if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
    event.preventDefault();
    const next = moveInList(currentList(), row.instrumentId, event.key === 'ArrowUp' ? -1 : 1);
    setMarketWatch(next);
    const index = next.indexOf(row.instrumentId);
    const column = 'column' in e ? e.column : null;
    // Keep the focus on the moved row.
    requestAnimationFrame(() => {
      if (column !== null) watchApi?.setFocusedCell(index, column);
    });
  } else if (event.key === 'Enter') {
    event.preventDefault();
    toTicket(row, 'column' in e ? e.column.getColId() : undefined);
  }
}

const watchGridOptions: GridOptions<WatchRow> = {
  theme: deskGridTheme,
  columnDefs: watchColumns,
  // Alt+↑/↓ move the row (onCellKeyDown), not the focus.
  defaultColDef: { ...(defaultColumn as ColDef<WatchRow>), sortable: false, suppressKeyboardEvent: (p) => p.event.altKey && (p.event.key === 'ArrowUp' || p.event.key === 'ArrowDown') },
  getRowId: (p) => p.data.instrumentId,
  rowDragManaged: true,
  animateRows: false,
  suppressColumnVirtualisation: true,
  // Rows off screen are built as they scroll in: every row built is a set of live cells repainting at the quote rate.
  rowBuffer: 2,
  tooltipShowDelay: 400,
  localeText: { noRowsToShow: 'Add instruments with the search above' },
  onCellDoubleClicked: (e: CellDoubleClickedEvent<WatchRow>) => {
    if (e.data !== undefined) toTicket(e.data, e.column.getColId());
  },
  onCellKeyDown,
  onRowDragEnd: () => setMarketWatch(currentList()),
};

/** Loads the terms of watched instruments this window has not seen yet (a list restored from the workspace). */
function useInstruments(ids: readonly string[]): ReadonlyMap<string, Instrument> {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const missing = ids.filter((id) => knownInstrument(id) === undefined);
    if (missing.length === 0) return;
    let current = true;
    void Promise.all(missing.map((instrumentId) => callDesk('getInstrument', { instrumentId }))).then((results) => {
      if (!current) return;
      rememberInstruments(results.flatMap((r) => (r.ok ? [r.value.instrument] : [])));
      setVersion((v) => v + 1);
    });
    return () => {
      current = false;
    };
  }, [ids]);
  const known = new Map<string, Instrument>();
  for (const id of ids) {
    const i = knownInstrument(id);
    if (i !== undefined) known.set(id, i);
  }
  return known;
}

/** Each watched instrument stays subscribed while the watch shows it. */
function useWatchSubscriptions(ids: readonly string[]): void {
  const held = useRef(new Map<string, () => void>());
  useEffect(() => {
    const wanted = new Set(ids);
    held.current.forEach((release, id) => {
      if (!wanted.has(id)) {
        release();
        held.current.delete(id);
      }
    });
    for (const id of ids) if (!held.current.has(id)) held.current.set(id, quoteSubscriptions.retain(id));
  }, [ids]);
  useEffect(() => {
    const map = held.current;
    return () => {
      map.forEach((release) => release());
      map.clear();
    };
  }, []);
}

const NO_IDS: readonly string[] = [];

/**
 * The market watch: the instruments a person chose (add with the search, remove with Delete or the ✕
 * button, reorder by dragging or Alt+↑/↓; kept with the layout), bid / ask / last / change / volume
 * ticking, stale quotes greyed and marked. Double-click or Enter puts the instrument in the ticket;
 * on the bid a sell at the bid, on the ask a buy at the ask.
 */
export function MarketWatch() {
  const ids = useWorkspace((w) => w.doc.current.marketWatch?.instruments ?? NO_IDS);
  const gridRef = useRef<HTMLDivElement>(null);
  const api = useAgGrid(gridRef, watchGridOptions);
  const instruments = useInstruments(ids);
  useWatchSubscriptions(ids);

  useEffect(() => {
    watchApi = api;
    if (api === null) return;
    return () => {
      if (watchApi === api) watchApi = null;
    };
  }, [api]);

  useEffect(() => {
    if (api === null || api.isDestroyed()) return;
    api.setGridOption(
      'rowData',
      ids.map((id) => rowOf(id, instruments.get(id))),
    );
  }, [api, ids, instruments]);

  const add = (i: Instrument) => {
    if (ids.includes(i.id)) {
      pushLocalAlert('info', `${i.symbol} is already in the market watch`);
      return;
    }
    if (ids.length >= MARKET_WATCH_MAX) {
      pushLocalAlert('warning', `The market watch shows at most ${MARKET_WATCH_MAX} instruments`);
      return;
    }
    rememberInstruments([i]);
    setMarketWatch([...ids, i.id]);
  };

  const removeFocused = () => {
    const focused = api?.getFocusedCell();
    const row = focused ? api?.getDisplayedRowAtIndex(focused.rowIndex)?.data : undefined;
    if (row !== undefined) removeInstrument(row.instrumentId);
  };

  return (
    <section className="panel market-watch" aria-labelledby="watch-title">
      <div className="panel-toolbar">
        <h2 id="watch-title" className="panel-title">
          Market watch <kbd>W</kbd>
        </h2>
        <InstrumentPicker id="watch-add" aria-label="Add an instrument to the market watch" placeholder="Add: symbol, name or ISIN" value={undefined} onPick={add} clearOnPick />
        <span className="toolbar-note">{ids.length === 1 ? '1 instrument' : `${ids.length} instruments`}</span>
        <div className="toolbar-spacer" />
        <button type="button" className="btn" onClick={removeFocused} disabled={ids.length === 0} title="Remove the focused instrument (Delete on the grid)">
          Remove
        </button>
      </div>
      <div className="grid-host" tabIndex={-1} aria-label="Market watch">
        <div className="grid-root" ref={gridRef} />
      </div>
    </section>
  );
}
