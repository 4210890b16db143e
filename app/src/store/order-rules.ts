import type { OrderView } from '../../../shared/contract/views';
import { TERMINAL_STATUSES } from '../../../shared/domain/order-types';
import { isZeroDecimal } from '../format/decimal';
import type { TicketPrefill } from './desk-store';

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

/** The ticket for the same order again: instrument, side, quantity, type, prices, time in force, account, broker. */
export function reticketOf(order: OrderView): TicketPrefill {
  return {
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    orderType: order.orderType,
    ...(order.limitPrice !== undefined && { limitPrice: order.limitPrice }),
    ...(order.stopPrice !== undefined && { stopPrice: order.stopPrice }),
    timeInForce: order.timeInForce,
    ...(order.expireDate !== undefined && { expireDate: order.expireDate }),
    account: order.account,
    broker: order.broker,
  };
}

/**
 * The ticket that closes what the order did: the opposite side (a short sale is bought back), for
 * the quantity it filled (all of it when nothing filled yet), a limit at its average price when it
 * filled (else its own limit; a market order when it had none), day.
 */
export function reverseOf(order: OrderView): TicketPrefill {
  const filled = !isZeroDecimal(order.cumQty);
  const price = filled ? order.avgPx : order.limitPrice;
  return {
    symbol: order.symbol,
    side: order.side === 'buy' ? 'sell' : 'buy',
    quantity: filled ? order.cumQty : order.quantity,
    orderType: price !== undefined ? 'limit' : 'market',
    ...(price !== undefined && { limitPrice: price }),
    timeInForce: 'day',
    account: order.account,
    broker: order.broker,
  };
}
