import type { ExecutionReportMessage, InboundMessage } from '../broker/broker-port';
import { dontKnowTradeFor } from '../orders/order-book';
import type { DeskContext } from './desk-context';
import { publishAlert, record } from './desk-context';

/** A broker message in: match it to an order, drop exact duplicates, journal it, apply it. */
export function onBrokerMessage(ctx: DeskContext, broker: string, message: InboundMessage): void {
  const orderId = matchOrder(ctx, broker, message);
  if (message.type === 'executionReport' && message.massStatusReqId !== undefined && message.lastRptRequested === true) {
    ctx.log.info('mass status answered', { broker, massStatusReqId: message.massStatusReqId, reports: message.totNumReports });
  }
  if (orderId === undefined && message.type === 'executionReport' && message.massStatusReqId !== undefined) {
    if (isAdoptable(message)) adopt(ctx, broker, message);
    // "No orders" (TotNumReports 0, OrdStatus Rejected): nothing to adopt, and nothing to DK.
    else ctx.log.info('mass status: a report naming no order of ours and no live order of the broker', { broker, clOrdId: message.clOrdId, ordStatus: message.ordStatus, text: message.text });
    return;
  }
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
 * A status report for an order of no chain of ours, answering our mass status request, and naming
 * an order the broker still has (not "unknown order"): the desk adopts it.
 */
function isAdoptable(report: ExecutionReportMessage): boolean {
  return report.execType === 'orderStatus' && report.massStatusReqId !== undefined && report.ordStatus !== 'rejected' && report.totNumReports !== 0;
}

/**
 * Takes on an order the broker knows and the desk does not: journaled as `orderAdopted` (the order
 * is built from the report, flagged `adopted`, and an alert says so). The order id is the broker's
 * ClOrdID unless an order of ours already has that id. Never a second order for one the desk knows:
 * `matchOrder` found none under any ClOrdID of any chain, nor under the broker's OrderID.
 */
function adopt(ctx: DeskContext, broker: string, report: ExecutionReportMessage): void {
  if (ctx.book.hasExecution(broker, report.execId)) return;
  const orderId = ctx.book.get(report.clOrdId) === undefined ? report.clOrdId : `${broker}.${report.clOrdId}`;
  if (ctx.book.get(orderId) !== undefined) {
    ctx.log.error('cannot adopt: order id taken', { broker, clOrdId: report.clOrdId, orderId });
    record(ctx, { type: 'unmatchedBrokerMessage', at: ctx.now(), broker, message: report });
    return;
  }
  record(ctx, { type: 'orderAdopted', at: ctx.now(), orderId, broker, report });
  ctx.log.warn('order adopted from a mass status report', { broker, orderId, clOrdId: report.clOrdId, brokerOrderId: report.brokerOrderId });
}

/** The order a broker message is about: by any ClOrdID of its chain, else (status reports) by the broker's OrderID. */
function matchOrder(ctx: DeskContext, broker: string, message: InboundMessage): string | undefined {
  for (const id of [message.clOrdId, message.origClOrdId]) {
    if (id === undefined) continue;
    const orderId = ctx.book.orderIdForClOrdId(id);
    if (orderId !== undefined && ctx.book.get(orderId)?.broker === broker) return orderId;
  }
  if (message.type === 'executionReport' && message.execType === 'orderStatus' && message.brokerOrderId !== undefined) {
    return ctx.book.orderIdForBrokerOrderId(broker, message.brokerOrderId);
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
