import type { GridApi } from 'ag-grid-community';
import type { FormEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import type { OrderView } from '../../../shared/contract/views';
import type { BlotterView } from '../../../shared/domain/blotter-views';
import { BLOTTER_VIEWS } from '../../../shared/domain/blotter-views';
import { openOrderHistory } from '../history/history-store';
import { PopOutButton } from '../shell/PopOutButton';
import { openDialog, requestCancelOrders } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import { deskNow, localDay, selectCancelableSelectedIds } from '../store/selectors';
import { copySelectedOrders, exportBlotterCsv } from './orders-actions';
import { loadMoreOrders, setFilterRow, setOrdersView, setQuickFilter, showJournalOrders, showLiveOrders, useOrdersBlotter } from './orders-blotter-store';

export const VIEW_LABELS: Readonly<Record<BlotterView, string>> = {
  working: 'Working',
  done: 'Done',
  all: 'All',
  rejected: 'Rejected',
  attention: 'Needs attention',
};

const VIEW_HELP: Readonly<Record<BlotterView, string>> = {
  working: 'Orders still working (1)',
  done: 'Filled, canceled, rejected, expired or done for the day (2)',
  all: 'Every order (3)',
  rejected: 'Refused by the broker or the desk (4)',
  attention: 'Uncertain, adopted, or named by a warning or error not yet acknowledged (5)',
};

function ViewButtons() {
  const view = useOrdersBlotter((s) => s.view);
  return (
    <div className="segmented" role="group" aria-label="Orders view">
      {BLOTTER_VIEWS.map((v) => (
        <button key={v} type="button" className={`segment${v === view ? ' segment-on' : ''}`} aria-pressed={v === view} title={VIEW_HELP[v]} onClick={() => setOrdersView(v)}>
          {VIEW_LABELS[v]}
        </button>
      ))}
    </div>
  );
}

/** The quick filter: every word must appear in some text column. Debounced a little while typing. */
function QuickFilter() {
  const stored = useOrdersBlotter((s) => s.quickFilter);
  const [text, setText] = useState(stored);
  useEffect(() => setText(stored), [stored]);
  useEffect(() => {
    if (text === stored) return;
    const timer = setTimeout(() => setQuickFilter(text), 150);
    return () => clearTimeout(timer);
  }, [text, stored]);
  return (
    <input
      type="search"
      className="quick-filter"
      aria-label="Quick filter"
      placeholder="Quick filter (/)"
      title="Shows the orders whose text columns contain every word typed"
      spellCheck={false}
      autoComplete="off"
      value={text}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && text !== '') {
          e.stopPropagation();
          setText('');
        }
      }}
    />
  );
}

function ShownCount() {
  const shown = useOrdersBlotter((s) => s.shown);
  const scope = useOrdersBlotter((s) => s.scope.kind);
  const total = useDesk((s) => s.data.orders.size);
  const loading = useDesk((s) => s.data.snapshotParts > 0);
  const loaded = useOrdersBlotter((s) => s.results.rows.length);
  const more = useOrdersBlotter((s) => s.results.nextCursor !== undefined);
  const selected = useDesk((s) => s.selectedOrderIds.length);
  const text =
    scope === 'journal'
      ? `${shown.toLocaleString('en-US')} shown of ${loaded.toLocaleString('en-US')} loaded${more ? ' (more)' : ''}`
      : loading
        ? `Loading… ${total} orders so far`
        : `${shown.toLocaleString('en-US')} shown of ${total.toLocaleString('en-US')} orders`;
  return (
    <span className="toolbar-note" aria-live="polite">
      {text}
      {selected > 0 ? ` · ${selected} selected` : ''}
    </span>
  );
}

/** Where the rows come from: the live book, or the journal across days (paged). */
function ScopeControls() {
  const scope = useOrdersBlotter((s) => s.scope);
  const results = useOrdersBlotter((s) => s.results);
  const baseId = useId();
  const deskClock = useDesk((s) => s.deskClock);
  const [from, setFrom] = useState(() => (scope.kind === 'journal' ? scope.from : ''));
  const [to, setTo] = useState(() => (scope.kind === 'journal' ? scope.to : ''));
  const [text, setText] = useState(() => (scope.kind === 'journal' ? scope.text : ''));
  // The last 30 days up to the desk's today (its clock, from its snapshot), until the person picks days.
  const picked = useRef(scope.kind === 'journal');
  useEffect(() => {
    if (picked.current || deskClock === null) return;
    const today = deskNow(deskStore.getState());
    setFrom(localDay(today, -30));
    setTo(localDay(today));
  }, [deskClock]);
  const journal = scope.kind === 'journal';

  const search = (event?: FormEvent) => {
    event?.preventDefault();
    void showJournalOrders({ from, to, text });
  };

  return (
    <form className="scope" role="search" aria-label="Orders of any day" onSubmit={search}>
      <div className="segmented" role="group" aria-label="Which orders">
        <button type="button" className={`segment${journal ? '' : ' segment-on'}`} aria-pressed={!journal} onClick={showLiveOrders} title="The desk's live orders, updated as they change">
          Live
        </button>
        <button type="button" className={`segment${journal ? ' segment-on' : ''}`} aria-pressed={journal} onClick={() => search()} title="Orders of any day, from the journal">
          Any day
        </button>
      </div>
      <label htmlFor={`${baseId}-from`}>From</label>
      <input
        id={`${baseId}-from`}
        type="date"
        value={from}
        max={to || undefined}
        onChange={(e) => {
          picked.current = true;
          setFrom(e.target.value);
        }}
      />
      <label htmlFor={`${baseId}-to`}>to</label>
      <input
        id={`${baseId}-to`}
        type="date"
        value={to}
        min={from || undefined}
        onChange={(e) => {
          picked.current = true;
          setTo(e.target.value);
        }}
      />
      <input
        type="search"
        className="scope-text"
        aria-label="Find orders by order ID, ClOrdID, symbol, account or broker"
        placeholder="Order ID, ClOrdID, symbol, account, broker"
        spellCheck={false}
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="btn">
        Search
      </button>
      {journal && results.nextCursor !== undefined && (
        <button type="button" className="btn" onClick={() => void loadMoreOrders()} disabled={results.loading}>
          Load more
        </button>
      )}
      {journal && (
        <span className={`toolbar-note${results.error !== null ? ' error-text' : ''}`} role="status">
          {results.error !== null ? `Search failed: ${results.error}` : results.loading ? 'Searching…' : results.matchedBy?.length === 0 ? 'Nothing matches' : results.matchedBy !== undefined && results.matchedBy.length > 0 ? `Matched by ${results.matchedBy.join(', ')}` : ''}
        </span>
      )}
    </form>
  );
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

function FilterRowButton() {
  const on = useOrdersBlotter((s) => s.filterRow);
  return (
    <button type="button" className={`btn${on ? ' btn-on' : ''}`} aria-pressed={on} onClick={() => setFilterRow(!on)} title="A filter under each column header (text and numbers)">
      Filters
    </button>
  );
}

export function OrdersToolbar({ api, blotterId }: { api: GridApi<OrderView> | null; blotterId: string }) {
  return (
    <div className="panel-toolbar panel-toolbar-tall">
      <div className="toolbar-row">
        <h2 id="orders-title" className="panel-title">
          Orders <kbd>F3</kbd>
        </h2>
        <ViewButtons />
        <QuickFilter />
        <ShownCount />
        <div className="toolbar-spacer" />
        <HistoryButton />
        <CancelSelectedButton />
      </div>
      <div className="toolbar-row">
        <ScopeControls />
        <div className="toolbar-spacer" />
        <FilterRowButton />
        <button type="button" className="btn" onClick={() => openDialog({ kind: 'columns', blotterId })} title="Show, hide, pin and order the columns (C)">
          Columns
        </button>
        <button type="button" className="btn" onClick={() => exportBlotterCsv(api, 'orders')} title="The orders as shown, to a CSV file (E)">
          Export CSV
        </button>
        <button type="button" className="btn" onClick={() => void copySelectedOrders()} aria-label="Copy selected orders as text" title="The selected orders as text, for a chat or an email (Ctrl+C)">
          Copy
        </button>
        <PopOutButton panel="orders" />
      </div>
    </div>
  );
}
