import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { HistoryState } from '../history/history-slice';
import { closedHistory } from '../history/history-slice';
import type { SessionMonitorState } from '../sessions/session-monitor-slice';
import { closedSessionMonitor } from '../sessions/session-monitor-slice';
import type { ConnectionStatus } from '../transport/connection';
import type { DeskData } from './desk-data';
import { emptyDeskData } from './desk-data';
import { publishOrderChange } from './order-changes';

/**
 * The renderer's one store, of slices. Components select exactly what they render; actions are
 * module-level functions beside their feature (store/actions.ts, history/history-store.ts,
 * sessions/session-monitor-store.ts), all over this store and the one transport (`setDeskApi`).
 * `resetDeskStore()` puts everything back for tests.
 */
export interface DataSlice {
  readonly data: DeskData;
}

export interface ConnectionSlice {
  readonly connection: ConnectionStatus;
}

export interface SelectionSlice {
  /** Order ids selected in the orders blotter, in the grid's order. */
  readonly selectedOrderIds: readonly string[];
}

export interface ContextMenuState {
  readonly orderId: string;
  readonly x: number;
  readonly y: number;
}

export interface UiSlice {
  readonly amendOrderId: string | null;
  readonly helpOpen: boolean;
  readonly contextMenu: ContextMenuState | null;
  /** Orders waiting for the person to confirm a multi-order cancel. */
  readonly confirmCancelIds: readonly string[] | null;
  /** Bumped to ask the ticket to take focus (F2) with an optional side preset (F8/F9). */
  readonly ticketFocusRequest: { readonly seq: number; readonly side?: 'buy' | 'sell' };
}

/** The order history dialog (history/history-store.ts). */
export interface HistorySlice {
  readonly history: HistoryState;
}

/** The session monitor (sessions/session-monitor-store.ts). */
export interface SessionMonitorSlice {
  readonly sessionMonitor: SessionMonitorState;
}

export type DeskState = DataSlice & ConnectionSlice & SelectionSlice & UiSlice & HistorySlice & SessionMonitorSlice;

export function initialDeskState(): DeskState {
  return {
    data: emptyDeskData,
    connection: { state: 'connecting', transport: 'websocket' },
    selectedOrderIds: [],
    amendOrderId: null,
    helpOpen: false,
    contextMenu: null,
    confirmCancelIds: null,
    ticketFocusRequest: { seq: 0 },
    history: closedHistory,
    sessionMonitor: closedSessionMonitor,
  };
}

export const deskStore = createStore<DeskState>()(() => initialDeskState());

export function resetDeskStore(): void {
  deskStore.setState(initialDeskState(), true);
  publishOrderChange('all');
}

export function useDesk<T>(selector: (state: DeskState) => T): T {
  return useStore(deskStore, selector);
}
