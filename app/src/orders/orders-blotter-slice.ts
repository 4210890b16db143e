import type { SearchMatch } from '../../../shared/contract/order-search';
import type { OrderView } from '../../../shared/contract/views';
import type { BlotterView } from '../../../shared/domain/blotter-views';

/**
 * Where the orders blotter's rows come from: the desk's live book (the stream), or the journal
 * searched across days (`searchOrders`), a page at a time.
 */
export type OrdersScope =
  | { readonly kind: 'live' }
  | {
      readonly kind: 'journal';
      /** Local calendar days, YYYY-MM-DD, both included. */
      readonly from: string;
      readonly to: string;
      /** Order ID, ClOrdID, symbol, account or broker; '' = every order of the days. */
      readonly text: string;
    };

export interface JournalResults {
  /** The request these rows answer (a newer request replaces them). */
  readonly requestId: number;
  readonly rows: readonly OrderView[];
  readonly nextCursor: string | undefined;
  readonly loading: boolean;
  readonly error: string | null;
  readonly matchedBy: readonly SearchMatch[] | undefined;
}

/** The orders blotter's slice of the desk store (one orders blotter per window). */
export interface OrdersBlotterState {
  readonly view: BlotterView;
  readonly quickFilter: string;
  /** Each column's filter shown under its header. */
  readonly filterRow: boolean;
  readonly scope: OrdersScope;
  readonly results: JournalResults;
  /** Rows the grid shows now (after every filter), for the toolbar. */
  readonly shown: number;
}

export const noResults: JournalResults = { requestId: 0, rows: [], nextCursor: undefined, loading: false, error: null, matchedBy: undefined };

export const initialOrdersBlotter: OrdersBlotterState = { view: 'all', quickFilter: '', filterRow: false, scope: { kind: 'live' }, results: noResults, shown: 0 };
