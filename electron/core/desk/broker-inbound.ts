import type { SessionView } from '../../../shared/contract/views';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConfig } from '../config/desk-config';
import type { ExecutionReportMessage, InboundMessage } from '../broker/broker-port';
import { isOpen } from '../orders/order';
import { dontKnowTradeFor } from '../orders/order-book';
import type { DeskContext } from './desk-context';
import { publishAlert, record } from './desk-context';

/** A broker message in: match it to an order, drop exact duplicates, journal it, apply it. */
export function onBrokerMessage(ctx: DeskContext, broker: string, message: InboundMessage): void {
  const orderId = matchOrder(ctx, broker, message);
  if (orderId === undefined) {
    record(ctx, { type: 'unmatchedBrokerMessage', at: ctx.now(), broker, message });
    // Never a silent drop: the broker is told we do not know the execution (DK), and an alert is raised (by the book).
    if (message.type === 'executionReport') sendDontKnow(ctx, broker, message);
    return;
  }
  if (message.type === 'executionReport') {
    if (ctx.book.hasExecution(broker, message.execId)) {
      ctx.log.info('duplicate execution report ignored', { broker, execId: message.execId, possDup: message.possDup });
      return;
    }
    record(ctx, { type: 'executionReceived', at: ctx.now(), orderId, broker, report: message });
  } else {
    record(ctx, { type: 'cancelRejectReceived', at: ctx.now(), orderId, broker, reject: message });
  }
}

function sendDontKnow(ctx: DeskContext, broker: string, message: ExecutionReportMessage): void {
  const connection = ctx.brokers.get(broker);
  let sent = false;
  try {
    sent = connection?.send(dontKnowTradeFor(message)) ?? false;
  } catch (error) {
    ctx.log.error('DontKnowTrade refused by the FIX layer', { broker, execId: message.execId, error: String(error) });
  }
  if (!sent) ctx.log.warn('DontKnowTrade not sent: session down', { broker, execId: message.execId });
}

export function onBrokerMalformed(ctx: DeskContext, broker: string, reason: string, raw: string, serial: number): void {
  ctx.log.warn('malformed message from broker ignored', { broker, reason, raw });
  publishAlert(ctx, { id: `M-${serial}`, level: 'error', message: `${broker} sent a malformed message (ignored): ${reason}`, broker, at: ctx.now() });
}

/**
 * On every logon, ask the broker for the status of each of its open orders: fills or cancels that
 * happened while we were away come back as status reports, and an order the broker never received
 * comes back rejected.
 */
export function onBrokerLoggedOn(ctx: DeskContext, broker: string): void {
  const connection = ctx.brokers.get(broker);
  if (connection === undefined) return;
  for (const order of ctx.book.allOrders()) {
    if (order.broker !== broker || !isOpen(order)) continue;
    connection.send({
      type: 'statusRequest',
      clOrdId: order.liveClOrdId,
      ...(order.brokerOrderId !== undefined && { brokerOrderId: order.brokerOrderId }),
      symbol: order.symbol,
      side: order.side,
    });
  }
}

export function sessionView(config: BrokerConfig, state: SessionState, at: string, lastError?: string): SessionView {
  return {
    broker: config.name,
    host: config.host,
    port: config.port,
    senderCompId: config.senderCompId,
    targetCompId: config.targetCompId,
    fixVersion: config.fixVersion,
    state,
    ...(lastError !== undefined && { lastError }),
    updatedAt: at,
  };
}

function matchOrder(ctx: DeskContext, broker: string, message: InboundMessage): string | undefined {
  for (const id of [message.clOrdId, message.origClOrdId]) {
    if (id === undefined) continue;
    const orderId = ctx.book.orderIdForClOrdId(id);
    if (orderId !== undefined && ctx.book.get(orderId)?.broker === broker) return orderId;
  }
  return undefined;
}

/** Journals one of our application messages as it went out, under its order (found by ClOrdID, tag 11). */
export function onBrokerSent(ctx: DeskContext, broker: string, msgType: string, raw: string): void {
  const clOrdId = /(?:^|\|)11=([^|]*)/.exec(raw)?.[1];
  const orderId = clOrdId === undefined ? undefined : ctx.book.orderIdForClOrdId(clOrdId);
  if (orderId === undefined) return; // a DontKnowTrade for an execution we never had: logged where it is sent
  record(ctx, { type: 'fixMessageSent', at: ctx.now(), orderId, broker, msgType, raw });
}
