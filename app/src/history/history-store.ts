import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { DeskApi } from '../../../shared/contract/desk-api';
import type { OrderHistory } from '../../../shared/contract/views';
import { closeContextMenu } from '../store/actions';
import { deskStore } from '../store/desk-store';
import type { RefreshQueue } from './refresh-queue';
import { createRefreshQueue } from './refresh-queue';

/**
 * The order history view's state: which order is open and what the desk last answered for it.
 * Kept beside the feature (store/ is tuned separately); it could become a UiSlice later.
 */
export interface HistoryState {
  readonly orderId: string | null;
  /** The last answer for `orderId`; kept while a refresh runs, so the view never blanks. */
  readonly history: OrderHistory | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** When the last answer arrived (ISO), to show how fresh the view is. */
  readonly loadedAt: string | null;
}

const closed: HistoryState = { orderId: null, history: null, loading: false, error: null, loadedAt: null };

export const historyStore = createStore<HistoryState>()(() => closed);

export function useHistory<T>(selector: (state: HistoryState) => T): T {
  return useStore(historyStore, selector);
}

let deskApi: Pick<DeskApi, 'call'> | null = null;

/** The transport, set once at start-up beside the store's own (`setDeskApi`). */
export function setOrderHistoryApi(api: Pick<DeskApi, 'call'> | null): void {
  deskApi = api;
}

interface Session {
  readonly orderId: string;
  readonly queue: RefreshQueue;
  readonly unsubscribe: () => void;
}

let session: Session | null = null;

async function load(orderId: string): Promise<void> {
  if (deskApi === null) {
    historyStore.setState({ loading: false, error: 'Not connected to the desk' });
    return;
  }
  if (historyStore.getState().orderId !== orderId) return;
  historyStore.setState({ loading: true });
  const result = await deskApi.call('getOrderHistory', { orderId });
  const state = historyStore.getState();
  // Closed, or switched to another order, while the call was out.
  if (state.orderId !== orderId) return;
  if (!result.ok) {
    historyStore.setState({ loading: false, error: result.error.message });
    return;
  }
  if (state.history !== null && result.value.order.version < state.history.order.version) {
    historyStore.setState({ loading: false });
    return;
  }
  historyStore.setState({ history: result.value, loading: false, error: null, loadedAt: new Date().toISOString() });
}

/** Opens the history of one order and keeps it fresh: every new version of the order's row, and every reconnect, asks again. */
export function openOrderHistory(orderId: string): void {
  closeContextMenu();
  if (session?.orderId === orderId) return;
  endSession();
  historyStore.setState({ ...closed, orderId, loading: true });
  const queue = createRefreshQueue(() => load(orderId));
  let version = deskStore.getState().data.orders.get(orderId)?.version;
  let connected = deskStore.getState().connection.state === 'connected';
  const unsubscribe = deskStore.subscribe((state) => {
    // Back from a lost connection: ask again even if the row did not change (the last call may have failed).
    const nowConnected = state.connection.state === 'connected';
    const reconnected = nowConnected && !connected;
    connected = nowConnected;
    const next = state.data.orders.get(orderId)?.version;
    const changed = next !== version && next !== undefined;
    version = next;
    if (changed || reconnected) queue.request();
  });
  session = { orderId, queue, unsubscribe };
  queue.request();
}

/** Asks the desk again now (after an error, or on request). */
export function refreshOrderHistory(): void {
  session?.queue.request();
}

export function closeOrderHistory(): void {
  endSession();
  historyStore.setState(closed, true);
}

function endSession(): void {
  session?.unsubscribe();
  session?.queue.dispose();
  session = null;
}
