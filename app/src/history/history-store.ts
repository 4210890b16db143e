import { callDesk, closeContextMenu } from '../store/actions';
import type { DeskState } from '../store/desk-store';
import { deskStore, useDesk } from '../store/desk-store';
import type { HistoryState } from './history-slice';
import { closedHistory } from './history-slice';
import type { RefreshQueue } from './refresh-queue';
import { createRefreshQueue } from './refresh-queue';

/** The order history dialog's actions, over the desk store's `history` slice. */
export function useHistory<T>(selector: (state: HistoryState) => T): T {
  return useDesk((s) => selector(s.history));
}

function setHistory(patch: Partial<HistoryState>): void {
  deskStore.setState((s) => ({ history: { ...s.history, ...patch } }));
}

const historyOf = (): HistoryState => deskStore.getState().history;

interface Session {
  readonly orderId: string;
  readonly queue: RefreshQueue;
  readonly unsubscribe: () => void;
}

let session: Session | null = null;

async function load(orderId: string): Promise<void> {
  if (historyOf().orderId !== orderId) return;
  setHistory({ loading: true });
  const result = await callDesk('getOrderHistory', { orderId });
  const state = historyOf();
  // Closed, or switched to another order, while the call was out.
  if (state.orderId !== orderId) return;
  if (!result.ok) {
    setHistory({ loading: false, error: result.error.message });
    return;
  }
  if (state.history !== null && result.value.order.version < state.history.order.version) {
    setHistory({ loading: false });
    return;
  }
  setHistory({ history: result.value, loading: false, error: null, loadedAt: new Date().toISOString() });
}

/**
 * Opens the history of one order (of any day: the desk reads it from the journal) and keeps it
 * fresh: every new version of the order's live row, and every reconnect, asks again.
 */
export function openOrderHistory(orderId: string): void {
  closeContextMenu();
  if (session?.orderId === orderId) return;
  endSession();
  deskStore.setState({ history: { ...closedHistory, orderId, loading: true } });
  const queue = createRefreshQueue(() => load(orderId));
  let version = deskStore.getState().data.orders.get(orderId)?.version;
  let connected = deskStore.getState().connection.state === 'connected';
  const unsubscribe = deskStore.subscribe((state: DeskState) => {
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
  deskStore.setState({ history: closedHistory });
}

function endSession(): void {
  session?.unsubscribe();
  session?.queue.dispose();
  session = null;
}
