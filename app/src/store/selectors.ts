import type { MarketDataSessionView } from '../../../shared/contract/market-data';
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

export function selectMarketDataSessions(s: DeskState): MarketDataSessionView[] {
  return [...s.data.marketDataSessions.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function selectLatestAlert(s: DeskState): AlertView | undefined {
  return s.data.alerts[s.data.alerts.length - 1];
}

/** The desk's clock now (from its last snapshot, moved on by the time since): the screens' "today" follows the desk. */
export function deskNow(s: Pick<DeskState, 'deskClock'>, localNow: number = Date.now()): Date {
  if (s.deskClock === null) return new Date(localNow);
  return new Date(Date.parse(s.deskClock.deskNow) + (localNow - s.deskClock.localAt));
}

/** A local calendar day, YYYY-MM-DD, `offsetDays` from `date`. */
export function localDay(date: Date, offsetDays = 0): string {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate() + offsetDays);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
