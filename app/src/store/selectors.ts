import type { AlertView, BrokerCapabilities, OrderView, SessionView } from '../../../shared/contract/views';
import type { DeskState } from './desk-store';
import { canCancel } from './order-rules';

export const selectOrders = (s: DeskState) => s.data.orders;
export const selectReference = (s: DeskState) => s.data.reference;
export const selectConnection = (s: DeskState) => s.connection;
export const selectSelectedOrderIds = (s: DeskState) => s.selectedOrderIds;

export const selectOrder =
  (orderId: string | null) =>
  (s: DeskState): OrderView | undefined =>
    orderId === null ? undefined : s.data.orders.get(orderId);

/** What a broker's engine takes (the desk's reference data); undefined: everything. */
export function brokerCapabilities(s: DeskState, broker: string): BrokerCapabilities | undefined {
  return s.data.reference.capabilities?.[broker];
}

export function selectOpenOrderCount(s: DeskState): number {
  return s.data.openOrders;
}

/** The selected orders a cancel can still reach. */
export function selectCancelableSelectedIds(s: DeskState): string[] {
  return s.selectedOrderIds.filter((id) => {
    const order = s.data.orders.get(id);
    return order !== undefined && canCancel(order);
  });
}

export function selectSessions(s: DeskState): SessionView[] {
  return [...s.data.sessions.values()].sort((a, b) => a.broker.localeCompare(b.broker));
}

export function selectLatestAlert(s: DeskState): AlertView | undefined {
  return s.data.alerts[s.data.alerts.length - 1];
}
