import { useCallback, useSyncExternalStore } from 'react';
import { createStore } from 'zustand/vanilla';
import type { OrdersBlotterState } from '../orders/orders-blotter-slice';
import { initialOrdersBlotter } from '../orders/orders-blotter-slice';
import type { WindowRole } from '../shell/window-role';
import { MAIN_WINDOW } from '../shell/window-role';
import type { WorkspaceState } from '../workspace/workspace-slice';
import { initialWorkspaceState } from '../workspace/workspace-slice';
import type { HistoryState } from '../history/history-slice';
import { closedHistory } from '../history/history-slice';
import type { SessionMonitorState } from '../sessions/session-monitor-slice';
import { closedSessionMonitor } from '../sessions/session-monitor-slice';
import type { ConnectionStatus } from '../transport/connection';
import type { DeskData } from './desk-data';
import { emptyDeskData } from './desk-data';
import { publishOrderChange } from './order-changes';
import { FramedNotifier } from './framed-notifier';
import { requestLiveFrame } from '../grid/live-frames';

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
  /** The desk's clock as its last snapshot told it, and when (performance-free local ms) it arrived. */
  readonly deskClock: { readonly deskNow: string; readonly localAt: number } | null;
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

/** A dialog of the workspace: the column chooser (of one blotter), layouts, attention settings, a ticket. */
export type WorkspaceDialog =
  | { readonly kind: 'columns'; readonly blotterId: string }
  | { readonly kind: 'layouts' }
  | { readonly kind: 'attention' }
  | { readonly kind: 'ticket' }
  | { readonly kind: 'killSwitch' }
  | { readonly kind: 'risk' };

export interface UiSlice {
  /** What this window shows: the whole desk or one popped-out panel (set once at start). */
  readonly windowRole: WindowRole;
  readonly dialog: WorkspaceDialog | null;
  readonly amendOrderId: string | null;
  /** The order in doubt a person is settling (the settle dialog). */
  readonly settleOrderId: string | null;
  readonly helpOpen: boolean;
  readonly contextMenu: ContextMenuState | null;
  /** Orders waiting for the person to confirm a multi-order cancel. */
  readonly confirmCancelIds: readonly string[] | null;
  /**
   * Bumped to ask the ticket to take focus (F2) with an optional side preset (F8/F9), or filled
   * from an order (re-ticket, reverse).
   */
  readonly ticketFocusRequest: { readonly seq: number; readonly side?: 'buy' | 'sell'; readonly prefill?: TicketPrefill; readonly instrument?: TicketInstrumentPick };
}

/** The market watch's double-click: an instrument into the ticket (with a side and price when a bid or ask was clicked), the rest kept. */
export interface TicketInstrumentPick {
  readonly instrumentId: string;
  readonly limitPrice?: string;
}

/** What re-ticket and reverse put in the ticket (the person reviews it and submits). */
export interface TicketPrefill {
  readonly instrumentId: string;
  readonly side: 'buy' | 'sell' | 'sellShort';
  readonly quantity: string;
  readonly orderType: 'market' | 'limit' | 'stop' | 'stopLimit';
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly timeInForce: 'day' | 'gtc' | 'ioc' | 'fok' | 'gtd';
  readonly expireDate?: string;
  readonly account: string;
  readonly broker: string;
}

/** The order history dialog (history/history-store.ts). */
export interface HistorySlice {
  readonly history: HistoryState;
}

/** The session monitor (sessions/session-monitor-store.ts). */
export interface SessionMonitorSlice {
  readonly sessionMonitor: SessionMonitorState;
}

/** The orders blotter of this window: view, quick filter, live or journal rows (orders/orders-blotter-store.ts). */
export interface OrdersBlotterSlice {
  readonly ordersBlotter: OrdersBlotterState;
}

/** Layouts, attention settings, popped-out windows (workspace/workspace-store.ts). */
export interface WorkspaceSlice {
  readonly workspace: WorkspaceState;
}

export type DeskState = DataSlice & ConnectionSlice & SelectionSlice & UiSlice & HistorySlice & SessionMonitorSlice & OrdersBlotterSlice & WorkspaceSlice;

export function initialDeskState(): DeskState {
  return {
    data: emptyDeskData,
    connection: { state: 'connecting', transport: 'websocket' },
    deskClock: null,
    windowRole: MAIN_WINDOW,
    dialog: null,
    selectedOrderIds: [],
    amendOrderId: null,
    settleOrderId: null,
    helpOpen: false,
    contextMenu: null,
    confirmCancelIds: null,
    ticketFocusRequest: { seq: 0 },
    history: closedHistory,
    sessionMonitor: closedSessionMonitor,
    ordersBlotter: initialOrdersBlotter,
    workspace: initialWorkspaceState,
  };
}

export const deskStore = createStore<DeskState>()(() => initialDeskState());

export function resetDeskStore(): void {
  deskStore.setState(initialDeskState(), true);
  publishOrderChange('all');
}

/** React hears of the stream's changes once per live frame (framed-notifier.ts); wrap the stream's updates in `fromStream`. */
export const reactNotifier = new FramedNotifier((callback) => void requestLiveFrame(callback));
const subscribeForReact = reactNotifier.wrap((listener) => deskStore.subscribe(listener));

/** zustand's useStore, with React's notices paced by reactNotifier. */
export function useDesk<T>(selector: (state: DeskState) => T): T {
  return useSyncExternalStore(
    subscribeForReact,
    useCallback(() => selector(deskStore.getState()), [selector]),
    () => selector(deskStore.getInitialState()),
  );
}
