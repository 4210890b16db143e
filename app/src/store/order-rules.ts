import type { BrokerCapabilities, OrderView } from '../../../shared/contract/views';
import { TERMINAL_STATUSES } from '../../../shared/domain/order-types';
import { isZeroDecimal } from '../format/decimal';
import type { TicketPrefill } from './desk-store';

/** Still working (or about to): counts as open and may be cancelled. */
export function isOpenOrder(order: Pick<OrderView, 'status'>): boolean {
  return !TERMINAL_STATUSES.has(order.status);
}

/**
 * Why an amend is not offered now, in words; undefined when it is. It needs a broker that takes
 * cancel/replace (the desk answers NOT_SUPPORTED_BY_BROKER otherwise) and a live order with nothing
 * else in flight (ORDER_NOT_AMENDABLE).
 */
export function amendRefusal(order: Pick<OrderView, 'status' | 'pending' | 'broker'>, capabilities?: BrokerCapabilities): string | undefined {
  if (capabilities?.cancelReplace === false) return `${order.broker} takes no amends (no cancel/replace): cancel and enter a new order`;
  if (!isOpenOrder(order)) return 'the order is done';
  if (order.pending !== undefined) return `a ${order.pending.kind === 'cancel' ? 'cancel' : 'amend'} is pending`;
  if (order.status === 'pendingNew') return 'the broker has not acknowledged the order yet';
  return undefined;
}

export function canAmend(order: Pick<OrderView, 'status' | 'pending' | 'broker'>, capabilities?: BrokerCapabilities): boolean {
  return amendRefusal(order, capabilities) === undefined;
}

/** An order in doubt (a request unanswered, the broker giving no status) can be settled by a person. */
export function canSettle(order: Pick<OrderView, 'uncertain'>): boolean {
  return order.uncertain !== undefined;
}

/** A cancel may chase a pending amend, but not another cancel, unless the broker did not answer that one in time. */
export function canCancel(order: Pick<OrderView, 'status' | 'pending'>): boolean {
  if (order.pending?.noAnswer === true) return isOpenOrder(order);
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
    instrumentId: order.instrumentId,
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
    instrumentId: order.instrumentId,
    side: order.side === 'buy' ? 'sell' : 'buy',
    quantity: filled ? order.cumQty : order.quantity,
    orderType: price !== undefined ? 'limit' : 'market',
    ...(price !== undefined && { limitPrice: price }),
    timeInForce: 'day',
    account: order.account,
    broker: order.broker,
  };
}
