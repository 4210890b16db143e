import type { OrderView } from '../../../shared/contract/views';
import { TERMINAL_STATUSES } from '../../../shared/domain/order-types';

/** Still working (or about to): counts as open and may be cancelled. */
export function isOpenOrder(order: Pick<OrderView, 'status'>): boolean {
  return !TERMINAL_STATUSES.has(order.status);
}

/** An amend needs a live order with nothing else in flight (the desk answers ORDER_NOT_AMENDABLE otherwise). */
export function canAmend(order: Pick<OrderView, 'status' | 'pending'>): boolean {
  return isOpenOrder(order) && order.pending === undefined && order.status !== 'pendingNew';
}

/** A cancel may chase a pending amend, but not another cancel. */
export function canCancel(order: Pick<OrderView, 'status' | 'pending'>): boolean {
  return isOpenOrder(order) && order.pending?.kind !== 'cancel' && order.status !== 'pendingCancel';
}

export function hasLimitPrice(order: Pick<OrderView, 'orderType'>): boolean {
  return order.orderType === 'limit' || order.orderType === 'stopLimit';
}

export function hasStopPrice(order: Pick<OrderView, 'orderType'>): boolean {
  return order.orderType === 'stop' || order.orderType === 'stopLimit';
}
