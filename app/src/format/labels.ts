import type { ExecType, OrderStatus, OrderType, SessionState, Side, TimeInForce } from '../../../shared/domain/order-types';
import type { OrderView, PendingRequestView } from '../../../shared/contract/views';
import { groupDecimal } from './decimal';

/** Closes a switch over a union: a new member becomes a compile error here. */
export function missingCase(value: never): never {
  throw new Error(`unhandled case: ${String(value)}`);
}

export function sideLabel(side: Side): string {
  switch (side) {
    case 'buy':
      return 'Buy';
    case 'sell':
      return 'Sell';
    case 'sellShort':
      return 'Short sell';
    default:
      return missingCase(side);
  }
}

export function orderTypeLabel(orderType: OrderType): string {
  switch (orderType) {
    case 'market':
      return 'Market';
    case 'limit':
      return 'Limit';
    case 'stop':
      return 'Stop';
    case 'stopLimit':
      return 'Stop limit';
    default:
      return missingCase(orderType);
  }
}

export function timeInForceLabel(tif: TimeInForce): string {
  switch (tif) {
    case 'day':
      return 'Day';
    case 'gtc':
      return 'GTC';
    case 'ioc':
      return 'IOC';
    case 'fok':
      return 'FOK';
    case 'gtd':
      return 'GTD';
    default:
      return missingCase(tif);
  }
}

/** How a status reads at a glance; the tone picks the badge colour. */
export type StatusTone = 'pending' | 'working' | 'partial' | 'filled' | 'done' | 'rejected' | 'held';

export function orderStatusLabel(status: OrderStatus): string {
  switch (status) {
    case 'pendingNew':
      return 'Pending new';
    case 'new':
      return 'New';
    case 'partiallyFilled':
      return 'Partially filled';
    case 'filled':
      return 'Filled';
    case 'pendingCancel':
      return 'Pending cancel';
    case 'pendingReplace':
      return 'Pending replace';
    case 'canceled':
      return 'Canceled';
    case 'rejected':
      return 'Rejected';
    case 'doneForDay':
      return 'Done for day';
    case 'expired':
      return 'Expired';
    case 'suspended':
      return 'Suspended';
    case 'stopped':
      return 'Stopped';
    default:
      return missingCase(status);
  }
}

export function orderStatusTone(status: OrderStatus): StatusTone {
  switch (status) {
    case 'pendingNew':
    case 'pendingCancel':
    case 'pendingReplace':
      return 'pending';
    case 'new':
      return 'working';
    case 'partiallyFilled':
      return 'partial';
    case 'filled':
      return 'filled';
    case 'canceled':
    case 'doneForDay':
    case 'expired':
      return 'done';
    case 'rejected':
      return 'rejected';
    case 'suspended':
    case 'stopped':
      return 'held';
    default:
      return missingCase(status);
  }
}

/** "Pending cancel", or "Pending replace → 200 @ 101.5" with whichever values the amend changes. */
export function pendingLabel(pending: PendingRequestView, order: Pick<OrderView, 'quantity' | 'limitPrice'>): string {
  if (pending.kind === 'cancel') return 'Pending cancel';
  let text = `Pending replace → ${groupDecimal(pending.quantity ?? order.quantity)}`;
  const limit = pending.limitPrice ?? order.limitPrice;
  if (limit !== undefined) text += ` @ ${groupDecimal(limit)}`;
  if (pending.stopPrice !== undefined) text += ` stop ${groupDecimal(pending.stopPrice)}`;
  return text;
}

/** The status cell's text: the status, the request in flight if there is one, and "? (reconciling)" while its fate is unknown. */
export function orderStatusText(order: Pick<OrderView, 'status' | 'pending' | 'quantity' | 'limitPrice'> & Partial<Pick<OrderView, 'uncertain' | 'adopted'>>): string {
  const uncertain = (order.uncertain !== undefined ? ' ? (reconciling)' : '') + (order.adopted ? ' (adopted)' : '');
  const base = orderStatusLabel(order.status);
  if (order.pending === undefined) return base + uncertain;
  const pending = pendingLabel(order.pending, order);
  if (order.status === 'pendingCancel' || order.status === 'pendingReplace') return pending + uncertain;
  return `${base} · ${pending}${uncertain}`;
}

export function execTypeLabel(execType: ExecType): string {
  switch (execType) {
    case 'new':
      return 'New';
    case 'trade':
      return 'Trade';
    case 'pendingNew':
      return 'Pending new';
    case 'pendingCancel':
      return 'Pending cancel';
    case 'canceled':
      return 'Canceled';
    case 'pendingReplace':
      return 'Pending replace';
    case 'replaced':
      return 'Replaced';
    case 'rejected':
      return 'Rejected';
    case 'doneForDay':
      return 'Done for day';
    case 'expired':
      return 'Expired';
    case 'suspended':
      return 'Suspended';
    case 'stopped':
      return 'Stopped';
    case 'restated':
      return 'Restated';
    case 'tradeCancel':
      return 'Trade bust';
    case 'tradeCorrect':
      return 'Trade correction';
    case 'orderStatus':
      return 'Order status';
    case 'calculated':
      return 'Calculated';
    default:
      return missingCase(execType);
  }
}

export function sessionStateLabel(state: SessionState): string {
  switch (state) {
    case 'stopped':
      return 'Stopped';
    case 'connecting':
      return 'Connecting';
    case 'loggedOn':
      return 'Logged on';
    case 'disconnected':
      return 'Disconnected';
    default:
      return missingCase(state);
  }
}

/** Local wall-clock time "HH:MM:SS" of an ISO timestamp; anything unparsable is shown as given. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** "Partially filled" → the first letter upper-cased: zod's messages start in lower case. */
export function sentenceCase(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

export function connectionLabel(state: 'connecting' | 'connected' | 'reconnecting' | 'unavailable'): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'unavailable':
      return 'Offline';
    default:
      return missingCase(state);
  }
}
