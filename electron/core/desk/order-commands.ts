import type { AlertsAcknowledged, CancelOrdersOutcome, OrderAccepted, OrderSettled } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import { fail, failWithCodes, ok } from '../../../shared/contract/result';
import type { AcknowledgeAlertsRequest } from '../../../shared/contract/alert-requests';
import type { AmendRequest, CancelRequest, CancelOrdersRequest, OrderTicket, SettleOrderRequest } from '../../../shared/contract/ticket';
import type { OrderSubmitted, ReplaceRequested } from '../journal/desk-events';
import type { Order } from '../orders/order';
import { nextOrigClOrdId, requestRefusal } from '../orders/order';
import { Dec, decimalString } from '../decimal/decimal';
import { settlementDate, ticketProblems } from '../instruments/ticket-rules';
import type { DeskContext } from './desk-context';
import { record, recordWithClOrdId, sendForOrder } from './desk-context';
import { knownInstrument } from './instrument-commands';
import { enteredBrokerAlgo, resolveBrokerAlgo } from './broker-algos';
import { sessionKey } from './session-commands';
import { amendForRisk, gate, newOrderForRisk, riskRefusal } from './risk-gate';
import { refusalText } from '../risk/risk-verdict';

/*
 * Each command runs in the journal's group commit: its events and the FIX messages it sends (the
 * session store shares the journal's database) commit together with those of every other command
 * of the same turn (a basket, a mass cancel: one commit), and the socket sees the messages after.
 * The result is answered once committed.
 */

export function submitOrder(ctx: DeskContext, ticket: OrderTicket): Promise<Result<OrderAccepted>> {
  return ctx.journal.groupCommit(() => submit(ctx, ticket));
}

export function amendOrder(ctx: DeskContext, request: AmendRequest): Promise<Result<OrderAccepted>> {
  return ctx.journal.groupCommit(() => amend(ctx, request));
}

export function cancelOrder(ctx: DeskContext, request: CancelRequest): Promise<Result<OrderAccepted>> {
  return ctx.journal.groupCommit(() => cancel(ctx, request));
}

export function cancelOrders(ctx: DeskContext, request: CancelOrdersRequest): Promise<Result<CancelOrdersOutcome>> {
  const unique = [...new Set(request.orderIds)];
  return ctx.journal.groupCommit(() => ok({ results: unique.map((orderId) => ({ orderId, result: cancel(ctx, { orderId }) })) }));
}

export function settleOrder(ctx: DeskContext, request: SettleOrderRequest): Promise<Result<OrderSettled>> {
  return ctx.journal.groupCommit(() => settle(ctx, request));
}

export function acknowledgeAlerts(ctx: DeskContext, request: AcknowledgeAlertsRequest): Promise<Result<AlertsAcknowledged>> {
  return ctx.journal.groupCommit(() => {
    const known = [...new Set(request.alertIds)].filter((id) => ctx.models.alerts.view.get(id) !== undefined);
    const open = known.filter((id) => ctx.models.alerts.view.get(id)?.acknowledged === undefined);
    if (known.length === 0) return fail('INVALID_REQUEST', 'none of these alerts is in the list (gone, or never there)', { alertIds: 'unknown alert' });
    if (open.length > 0) record(ctx, { type: 'alertsAcknowledged', at: ctx.now(), by: ctx.operator, alertIds: open });
    return ok({ acknowledged: open.length });
  });
}

/**
 * An algo parent's child: the same path as any order (validate → journal → route; risk, once it
 * exists, gates it here too), its events naming the parent. Runs inside the caller's unit of work.
 */
export function submitChild(ctx: DeskContext, ticket: OrderTicket, parentId: string): Result<OrderAccepted> {
  return submit(ctx, ticket, parentId);
}

/** Cancels an algo parent's child, inside the caller's unit of work. */
export function cancelChild(ctx: DeskContext, orderId: string): Result<OrderAccepted> {
  return cancel(ctx, { orderId });
}

function submit(ctx: DeskContext, ticket: OrderTicket, parentId?: string): Result<OrderAccepted> {
  const broker = ctx.brokers.get(ticket.broker);
  if (broker === undefined) return fail('UNKNOWN_BROKER', `no broker named ${ticket.broker}`, { broker: 'unknown broker' });
  if (!ctx.config.accounts.includes(ticket.account)) {
    return fail('INVALID_REQUEST', `unknown account ${ticket.account}`, { account: 'unknown account' });
  }
  const known = knownInstrument(ctx, ticket.instrumentId);
  if (!known.ok) return known.result;
  const { instrument } = known;
  const tradeDate = ctx.tradeDate();
  const problems = ticketProblems(instrument, ticket, tradeDate);
  if (Object.keys(problems).length > 0) return failWithCodes('INVALID_REQUEST', Object.values(problems).map((p) => p.message).join('; '), problems);
  const settlDate = settlementDate(instrument, tradeDate);
  const terms = { instrument, tradeDate, ...(settlDate !== undefined && { settlDate }) };
  const algo = ticket.brokerAlgo !== undefined ? resolveBrokerAlgo(ctx, ticket.broker, ticket.brokerAlgo) : undefined;
  if (algo !== undefined && !algo.ok) return algo.result;
  const checked = gate(ctx, newOrderForRisk(ticket, instrument), ticket.riskOverride);
  if (!checked.ok) {
    const { code, findings } = checked.verdict;
    recordWithClOrdId(ctx, (clOrdId) => ({ type: 'orderDenied', at: ctx.now(), orderId: clOrdId, clOrdId, ticket, ...terms, code, reason: refusalText(findings), findings, ...(parentId !== undefined && { parentId }) }));
    return riskRefusal(checked.verdict);
  }
  if (broker.state !== 'loggedOn') {
    const reason = notConnected(ctx, ticket.broker, broker.state);
    recordWithClOrdId(ctx, (clOrdId) => ({
      type: 'orderDenied',
      at: ctx.now(),
      orderId: clOrdId,
      clOrdId,
      ticket,
      ...terms,
      code: 'BROKER_UNAVAILABLE',
      reason,
      ...(parentId !== undefined && { parentId }),
    }));
    return fail('BROKER_UNAVAILABLE', `order refused: ${reason}`);
  }
  const event = recordWithClOrdId<OrderSubmitted>(ctx, (clOrdId) => ({
    type: 'orderSubmitted',
    at: ctx.now(),
    orderId: clOrdId,
    clOrdId,
    ticket,
    ...terms,
    ...(parentId !== undefined && { parentId }),
    ...(checked.stamp !== undefined && { risk: checked.stamp }),
  }));
  const sent = sendForOrder(ctx, broker, event.orderId, {
    type: 'newOrder',
    clOrdId: event.clOrdId,
    account: ticket.account,
    instrument,
    tradeDate,
    side: ticket.side,
    orderType: ticket.orderType,
    quantity: ticket.quantity,
    ...(ticket.limitPrice !== undefined && { limitPrice: ticket.limitPrice }),
    ...(ticket.stopPrice !== undefined && { stopPrice: ticket.stopPrice }),
    timeInForce: ticket.timeInForce,
    ...(ticket.expireDate !== undefined && { expireDate: ticket.expireDate }),
    transactTime: ctx.clock.now(),
    ...(algo !== undefined && { brokerAlgo: algo.algo }),
  });
  if (sent !== true) return sendFailed(ctx, event.orderId, event.clOrdId, 'new', ticket.broker, sent);
  ctx.requests.requestSent(event.orderId, ticket.broker, 'new', event.clOrdId, event.at);
  return ok({ orderId: event.orderId, clOrdId: event.clOrdId });
}

function amend(ctx: DeskContext, request: AmendRequest): Result<OrderAccepted> {
  const found = workableOrder(ctx, request.orderId, 'amend');
  if (!found.ok) return found.result;
  const { order } = found;
  if (brokerConfig(ctx, order.broker)?.capabilities.cancelReplace === false) {
    return fail('NOT_SUPPORTED_BY_BROKER', `cannot amend ${order.orderId}: ${order.broker} takes no cancel/replace (35=G); cancel the order and enter a new one`);
  }
  const fields: Record<string, string> = {};
  const quantity = request.quantity !== undefined ? new Dec(request.quantity) : order.quantity;
  if (!quantity.greaterThan(order.cumQty)) fields.quantity = `new quantity must exceed the executed ${decimalString(order.cumQty)}`;
  const takesLimit = order.orderType === 'limit' || order.orderType === 'stopLimit';
  const takesStop = order.orderType === 'stop' || order.orderType === 'stopLimit';
  if (request.limitPrice !== undefined && !takesLimit) fields.limitPrice = `a ${order.orderType} order has no limit price`;
  if (request.stopPrice !== undefined && !takesStop) fields.stopPrice = `a ${order.orderType} order has no stop price`;
  if (Object.keys(fields).length > 0) return fail('INVALID_REQUEST', Object.values(fields).join('; '), fields);
  const { instrumentId: _expired, ...problems } = ticketProblems(order.instrument, request, ctx.tradeDate());
  if (Object.keys(problems).length > 0) return failWithCodes('INVALID_REQUEST', Object.values(problems).map((p) => p.message).join('; '), problems);
  const limitPrice = request.limitPrice !== undefined ? new Dec(request.limitPrice) : order.limitPrice;
  const stopPrice = request.stopPrice !== undefined ? new Dec(request.stopPrice) : order.stopPrice;
  if (quantity.equals(order.quantity) && sameDec(limitPrice, order.limitPrice) && sameDec(stopPrice, order.stopPrice)) {
    return fail('INVALID_REQUEST', 'the amend changes nothing');
  }
  const checked = gate(ctx, amendForRisk(ctx, order, quantity, limitPrice ?? stopPrice), request.riskOverride);
  if (!checked.ok) {
    const { code, findings } = checked.verdict;
    record(ctx, { type: 'amendRefused', at: ctx.now(), orderId: order.orderId, by: ctx.operator, code, reason: refusalText(findings), findings });
    return riskRefusal(checked.verdict);
  }
  const broker = connectedBroker(ctx, order);
  if (!broker.ok) return broker.result;
  const entered = enteredBrokerAlgo(ctx, order.orderId);
  const algo = entered !== undefined ? resolveBrokerAlgo(ctx, order.broker, entered) : undefined;
  if (algo !== undefined && !algo.ok) return algo.result;

  const event = recordWithClOrdId<ReplaceRequested>(ctx, (clOrdId) => ({
    type: 'replaceRequested',
    at: ctx.now(),
    orderId: order.orderId,
    clOrdId,
    origClOrdId: nextOrigClOrdId(order),
    quantity: decimalString(quantity),
    ...(limitPrice !== undefined && { limitPrice: decimalString(limitPrice) }),
    ...(stopPrice !== undefined && { stopPrice: decimalString(stopPrice) }),
    ...(checked.stamp !== undefined && { risk: checked.stamp }),
  }));
  const sent = sendForOrder(ctx, broker.connection, order.orderId, {
    type: 'replace',
    clOrdId: event.clOrdId,
    origClOrdId: event.origClOrdId,
    ...(order.brokerOrderId !== undefined && { brokerOrderId: order.brokerOrderId }),
    account: order.account,
    instrument: order.instrument,
    tradeDate: order.tradeDate,
    side: order.side,
    orderType: order.orderType,
    quantity: event.quantity,
    ...(event.limitPrice !== undefined && { limitPrice: event.limitPrice }),
    ...(event.stopPrice !== undefined && { stopPrice: event.stopPrice }),
    timeInForce: order.timeInForce,
    ...(order.expireDate !== undefined && { expireDate: order.expireDate }),
    transactTime: ctx.clock.now(),
    ...(algo !== undefined && { brokerAlgo: algo.algo }),
  });
  if (sent !== true) return sendFailed(ctx, order.orderId, event.clOrdId, 'replace', order.broker, sent);
  ctx.requests.requestSent(order.orderId, order.broker, 'replace', event.clOrdId, event.at);
  return ok({ orderId: order.orderId, clOrdId: event.clOrdId });
}

/** A cancel inside an open unit of work (the kill switch's, a broker's logon). */
export function cancelInBatch(ctx: DeskContext, request: CancelRequest): Result<OrderAccepted> {
  return cancel(ctx, request);
}

function cancel(ctx: DeskContext, request: CancelRequest): Result<OrderAccepted> {
  const found = workableOrder(ctx, request.orderId, 'cancel');
  if (!found.ok) return found.result;
  const { order } = found;
  const broker = connectedBroker(ctx, order);
  if (!broker.ok) return broker.result;
  const event = recordWithClOrdId(ctx, (clOrdId) => ({
    type: 'cancelRequested' as const,
    at: ctx.now(),
    orderId: order.orderId,
    clOrdId,
    origClOrdId: nextOrigClOrdId(order),
  }));
  const sent = sendForOrder(ctx, broker.connection, order.orderId, {
    type: 'cancel',
    clOrdId: event.clOrdId,
    origClOrdId: event.origClOrdId,
    ...(order.brokerOrderId !== undefined && { brokerOrderId: order.brokerOrderId }),
    instrument: order.instrument,
    tradeDate: order.tradeDate,
    side: order.side,
    quantity: decimalString(order.quantity),
    transactTime: ctx.clock.now(),
  });
  if (sent !== true) return sendFailed(ctx, order.orderId, event.clOrdId, 'cancel', order.broker, sent);
  ctx.requests.requestSent(order.orderId, order.broker, 'cancel', event.clOrdId, event.at);
  return ok({ orderId: order.orderId, clOrdId: event.clOrdId });
}

/**
 * A person settles an order in doubt after checking with the broker: journaled with who, when and
 * why (the order's history shows it). Only an order in doubt; "rejected" (never received) only for
 * one the broker never acknowledged, "canceled" not for a filled one.
 */
function settle(ctx: DeskContext, request: SettleOrderRequest): Result<OrderSettled> {
  const order = ctx.orders.get(request.orderId);
  if (order === undefined) return fail('UNKNOWN_ORDER', `no order ${request.orderId}`);
  if (order.uncertain === undefined) return fail('ORDER_NOT_SETTLEABLE', `nothing about order ${order.orderId} is in doubt: its broker's reports keep it up to date`);
  if (request.outcome === 'rejected' && (order.working !== 'pendingNew' || !order.cumQty.isZero())) {
    return fail('INVALID_REQUEST', `order ${order.orderId} was acknowledged or executed at the broker (${order.working}): it cannot be settled as never received`, { outcome: 'not for an order the broker acknowledged' });
  }
  if (request.outcome === 'canceled' && order.working === 'filled') {
    return fail('INVALID_REQUEST', `order ${order.orderId} is filled: it can only be settled as shown`, { outcome: 'a filled order is settled as shown' });
  }
  record(ctx, { type: 'orderSettled', at: ctx.now(), orderId: order.orderId, by: ctx.operator, outcome: request.outcome, reason: request.reason });
  return ok({ orderId: order.orderId });
}

function workableOrder(
  ctx: DeskContext,
  orderId: string,
  action: 'amend' | 'cancel',
): { ok: true; order: Order } | { ok: false; result: Result<never> } {
  const order = ctx.orders.get(orderId);
  if (order === undefined) return { ok: false, result: fail('UNKNOWN_ORDER', `no order ${orderId}`) };
  const code = action === 'amend' ? 'ORDER_NOT_AMENDABLE' : 'ORDER_NOT_CANCELABLE';
  const chaining = brokerConfig(ctx, order.broker)?.capabilities.chainedRequests ?? false;
  const refusal = requestRefusal(order, action, chaining);
  if (refusal !== undefined) return { ok: false, result: fail(code, `cannot ${action} ${orderId}: ${refusal}`) };
  return { ok: true, order };
}

function brokerConfig(ctx: DeskContext, broker: string) {
  return ctx.config.brokers.find((b) => b.name === broker);
}

function connectedBroker(ctx: DeskContext, order: Order) {
  const connection = ctx.brokers.get(order.broker);
  if (connection === undefined || connection.state !== 'loggedOn') {
    return {
      ok: false as const,
      result: fail('BROKER_UNAVAILABLE', `${notConnected(ctx, order.broker, connection?.state ?? 'stopped')}: try again when it is logged on`),
    };
  }
  return { ok: true as const, connection };
}

/** Why orders cannot go to a broker now, in words: a person's logout says so. */
function notConnected(ctx: DeskContext, broker: string, state: string): string {
  const loggedOutAt = ctx.loggedOut.get(sessionKey(broker, 'trading'));
  if (loggedOutAt !== undefined) return `broker ${broker} is logged out (from the session monitor at ${loggedOutAt.slice(11, 19)} UTC): connect it there first`;
  return `broker ${broker} is not connected (${state})`;
}

function sendFailed(
  ctx: DeskContext,
  orderId: string,
  clOrdId: string,
  request: 'new' | 'replace' | 'cancel',
  broker: string,
  outcome: false | string,
): Result<never> {
  const reason = outcome === false ? `the session to ${broker} dropped before the request could be sent` : outcome;
  record(ctx, { type: 'sendFailed', at: ctx.now(), orderId, clOrdId, request, reason });
  return fail(outcome === false ? 'BROKER_UNAVAILABLE' : 'INTERNAL', reason);
}

function sameDec(a: Dec | undefined, b: Dec | undefined): boolean {
  return a === undefined ? b === undefined : b !== undefined && a.equals(b);
}
