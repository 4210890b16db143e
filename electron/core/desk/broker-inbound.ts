import type { CancelRejectMessage, ExecutionReportMessage, InboundMessage, RequestRejectMessage } from '../broker/broker-port';
import { rejectReason } from '../broker/broker-port';
import type { OrderRequestReject } from '../journal/desk-events';
import { dontKnowTradeFor } from '../orders/order-book';
import type { DeskContext } from './desk-context';
import { raiseAlert, record } from './desk-context';

/** A broker message in: match it to an order, drop exact duplicates, journal it, apply it. */
export function onBrokerMessage(ctx: DeskContext, broker: string, message: InboundMessage): void {
  if (message.type === 'requestReject') {
    onRequestReject(ctx, broker, message);
    return;
  }
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
    // A duplicate is the same ExecID for the same order (a resend, a PossDup): an ExecID the broker
    // reused for another order is that order's execution (the book says so with a warning).
    if (ctx.book.hasExecution(broker, message.execId, orderId)) {
      ctx.log.info('duplicate execution report ignored', { broker, execId: message.execId, orderId, possDup: message.possDup });
      return;
    }
    record(ctx, { type: 'executionReceived', at: ctx.now(), orderId, broker, report: message });
  } else {
    record(ctx, { type: 'cancelRejectReceived', at: ctx.now(), orderId, broker, reject: message });
  }
  ctx.requests.answered(orderId);
}

/**
 * A session-level Reject (35=3) or BusinessMessageReject (35=j) of a message of ours. One about an
 * order of this broker (the new order, a cancel, an amend, a status request) is journaled and
 * applied to it; any other (a mass status request, a DontKnowTrade, a session message, one the FIX
 * layer could not tie to a message of ours) is an alert that says what was refused and why.
 */
function onRequestReject(ctx: DeskContext, broker: string, reject: RequestRejectMessage): void {
  const orderId = reject.clOrdId === undefined ? undefined : ctx.book.orderIdForClOrdId(reject.clOrdId);
  const order = orderId === undefined ? undefined : ctx.book.get(orderId);
  if (order !== undefined && order.broker === broker && isAboutOrder(reject)) {
    record(ctx, { type: 'brokerRejectReceived', at: ctx.now(), orderId: order.orderId, broker, reject });
    if (reject.rejected === 'statusRequest') ctx.requests.statusRefused(order.orderId);
    return;
  }
  const why = rejectReason(reject);
  const how = reject.level === 'session' ? 'session-level Reject (35=3)' : 'BusinessMessageReject (35=j)';
  const which = reject.massStatusReqId !== undefined ? ` ${reject.massStatusReqId}` : reject.clOrdId !== undefined ? ` with ClOrdID ${reject.clOrdId} (no order of ours)` : reject.refSeqNum !== undefined ? ` (MsgSeqNum ${reject.refSeqNum})` : '';
  const unmatched = reject.uncorrelated !== undefined ? `; not tied to a message of ours: ${reject.uncorrelated}` : '';
  const level = reject.rejected === 'massStatusRequest' || reject.rejected === 'dontKnowTrade' ? 'warning' : 'error';
  ctx.log.warn('broker rejected a message of ours', { broker, rejected: reject.rejected, raw: reject.raw });
  raiseAlert(ctx, { level, code: 'BROKER_REJECT', message: `${broker} rejected our ${reject.rejectedMessage}${which}: ${why} (${how})${unmatched}`, broker });
}

function isAboutOrder(reject: RequestRejectMessage): reject is OrderRequestReject {
  return reject.rejected === 'newOrder' || reject.rejected === 'cancel' || reject.rejected === 'replace' || reject.rejected === 'statusRequest';
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

export function onBrokerMalformed(ctx: DeskContext, broker: string, reason: string, raw: string): void {
  ctx.log.warn('malformed message from broker ignored', { broker, reason, raw });
  raiseAlert(ctx, { level: 'error', code: 'MALFORMED_MESSAGE', message: `${broker} sent a malformed message (ignored): ${reason}`, broker });
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
  const orderId = ctx.book.get(report.clOrdId) === undefined ? report.clOrdId : `${broker}.${report.clOrdId}`;
  if (ctx.book.hasExecution(broker, report.execId, orderId)) return;
  if (ctx.book.get(orderId) !== undefined) {
    ctx.log.error('cannot adopt: order id taken', { broker, clOrdId: report.clOrdId, orderId });
    record(ctx, { type: 'unmatchedBrokerMessage', at: ctx.now(), broker, message: report });
    return;
  }
  record(ctx, { type: 'orderAdopted', at: ctx.now(), orderId, broker, report });
  ctx.log.warn('order adopted from a mass status report', { broker, orderId, clOrdId: report.clOrdId, brokerOrderId: report.brokerOrderId });
}

/** The order a broker message is about: by any ClOrdID of its chain, else (status reports) by the broker's OrderID. */
function matchOrder(ctx: DeskContext, broker: string, message: ExecutionReportMessage | CancelRejectMessage): string | undefined {
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
