import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ConnectionStatus } from '../transport/connection';
import type { DeskData } from './desk-data';
import { emptyDeskData } from './desk-data';

/**
 * One store of slices. Components select exactly what they render; actions (actions.ts) are
 * module-level functions. `resetDeskStore()` puts everything back for tests.
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
  /** The order in doubt a person is settling (the settle dialog). */
  readonly settleOrderId: string | null;
  readonly helpOpen: boolean;
  readonly contextMenu: ContextMenuState | null;
  /** Orders waiting for the person to confirm a multi-order cancel. */
  readonly confirmCancelIds: readonly string[] | null;
  /** Bumped to ask the ticket to take focus (F2) with an optional side preset (F8/F9). */
  readonly ticketFocusRequest: { readonly seq: number; readonly side?: 'buy' | 'sell' };
}

export type DeskState = DataSlice & ConnectionSlice & SelectionSlice & UiSlice;

export function initialDeskState(): DeskState {
  return {
    data: emptyDeskData,
    connection: { state: 'connecting', transport: 'websocket' },
    selectedOrderIds: [],
    amendOrderId: null,
    settleOrderId: null,
    helpOpen: false,
    contextMenu: null,
    confirmCancelIds: null,
    ticketFocusRequest: { seq: 0 },
  };
}

export const deskStore = createStore<DeskState>()(() => initialDeskState());

export function resetDeskStore(): void {
  deskStore.setState(initialDeskState(), true);
}

export function useDesk<T>(selector: (state: DeskState) => T): T {
  return useStore(deskStore, selector);
}
