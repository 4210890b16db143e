import { DEFAULT_SEARCH_PAGE } from '../../../shared/contract/order-search';
import type { OrderSearchRequest } from '../../../shared/contract/order-search';
import type { BlotterView } from '../../../shared/domain/blotter-views';
import { callDesk } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import type { JournalResults, OrdersBlotterState, OrdersScope } from './orders-blotter-slice';
import { noResults } from './orders-blotter-slice';

/** The orders blotter's actions, over the desk store's `ordersBlotter` slice. */
export function useOrdersBlotter<T>(selector: (state: OrdersBlotterState) => T): T {
  return useDesk((s) => selector(s.ordersBlotter));
}

const blotterOf = (): OrdersBlotterState => deskStore.getState().ordersBlotter;

function setBlotter(patch: Partial<OrdersBlotterState>): void {
  deskStore.setState((s) => ({ ordersBlotter: { ...s.ordersBlotter, ...patch } }));
}

function setResults(patch: Partial<JournalResults>): void {
  deskStore.setState((s) => ({ ordersBlotter: { ...s.ordersBlotter, results: { ...s.ordersBlotter.results, ...patch } } }));
}

export function setOrdersView(view: BlotterView): void {
  if (blotterOf().view === view) return;
  setBlotter({ view });
  // The journal is asked for the view (its pages hold only those orders).
  if (blotterOf().scope.kind === 'journal') void searchJournal();
}

export function setQuickFilter(quickFilter: string): void {
  setBlotter({ quickFilter });
}

export function setFilterRow(filterRow: boolean): void {
  if (blotterOf().filterRow !== filterRow) setBlotter({ filterRow });
}

export function setShownCount(shown: number): void {
  if (blotterOf().shown !== shown) setBlotter({ shown });
}

/** Back to the live book. */
export function showLiveOrders(): void {
  setBlotter({ scope: { kind: 'live' }, results: noResults });
}

/** Orders of the days from–to (local, both included) from the journal, matching `text`: the first page. */
export function showJournalOrders(scope: Omit<Extract<OrdersScope, { kind: 'journal' }>, 'kind'>): Promise<void> {
  setBlotter({ scope: { kind: 'journal', ...scope } });
  return searchJournal();
}

let requestSerial = 0;

function searchRequest(scope: Extract<OrdersScope, { kind: 'journal' }>, view: BlotterView, cursor?: string): OrderSearchRequest {
  const from = localMidnight(scope.from, 0);
  const to = localMidnight(scope.to, 1);
  return {
    view,
    limit: DEFAULT_SEARCH_PAGE,
    ...(scope.text.trim() !== '' && { text: scope.text.trim() }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(cursor !== undefined && { cursor }),
  };
}

/** Local midnight starting `day` (YYYY-MM-DD) plus `days`, as an ISO instant; undefined for no day. */
export function localMidnight(day: string, days: number): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).toISOString();
}

async function searchJournal(): Promise<void> {
  const { scope, view } = blotterOf();
  if (scope.kind !== 'journal') return;
  const requestId = ++requestSerial;
  setBlotter({ results: { ...noResults, requestId, loading: true } });
  const result = await callDesk('searchOrders', searchRequest(scope, view));
  if (blotterOf().results.requestId !== requestId) return; // a newer search, or back to live, meanwhile
  if (!result.ok) {
    setResults({ loading: false, error: result.error.message });
    return;
  }
  setResults({ loading: false, rows: result.value.orders, nextCursor: result.value.nextCursor, matchedBy: result.value.matchedBy, error: null });
}

/** The next page of the journal search, appended. */
export async function loadMoreOrders(): Promise<void> {
  const { scope, view, results } = blotterOf();
  if (scope.kind !== 'journal' || results.nextCursor === undefined || results.loading) return;
  const { requestId } = results;
  setResults({ loading: true });
  const result = await callDesk('searchOrders', searchRequest(scope, view, results.nextCursor));
  if (blotterOf().results.requestId !== requestId) return;
  if (!result.ok) {
    setResults({ loading: false, error: result.error.message });
    return;
  }
  const known = new Set(blotterOf().results.rows.map((o) => o.orderId));
  const fresh = result.value.orders.filter((o) => !known.has(o.orderId));
  setResults({ loading: false, rows: [...blotterOf().results.rows, ...fresh], nextCursor: result.value.nextCursor, error: null });
}
