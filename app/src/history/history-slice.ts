import type { OrderHistory } from '../../../shared/contract/views';

/** The order history view's slice of the desk store: which order is open and what the desk last answered for it. */
export interface HistoryState {
  readonly orderId: string | null;
  /** The last answer for `orderId`; kept while a refresh runs, so the view never blanks. */
  readonly history: OrderHistory | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** When the last answer arrived (ISO), to show how fresh the view is. */
  readonly loadedAt: string | null;
}

export const closedHistory: HistoryState = { orderId: null, history: null, loading: false, error: null, loadedAt: null };
