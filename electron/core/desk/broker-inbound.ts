import type { CancelRejectMessage, DontKnowTradeMessage, ExecutionReportMessage, InboundMessage, RequestRejectMessage } from '../broker/broker-port';
import { rejectReason } from '../broker/broker-port';
import type { OrderRequestReject } from '../journal/desk-events';
import type { Order } from '../orders/order';
import { hasExecId } from '../orders/exec-id-list';
import { dontKnowTradeFor } from '../orders/order-book';
import type { InstrumentTerms, ReportMisfit } from '../orders/report-fit';
import { fillBeyondLimit, reportMisfit } from '../orders/report-fit';
import type { DeskContext } from './desk-context';
import { raiseAlert, record } from './desk-context';
import { pastOrderForClOrdId } from './past-orders';
import { STATUS_ANSWER_WINDOW_MS } from './sent-status-requests';
import type { Instrument } from '../../../shared/domain/instrument';
import { instrumentConflict, reportedInstrumentFields } from '../fix/instrument-match';
import { identifyInstrument } from '../fix/instrument-identity';
import { fxValueDate } from '../instruments/contract-terms';
import { settlementDate } from '../instruments/ticket-rules';

/** A broker message in: match it to an order, drop exact duplicates, journal it, apply it. */
export function onBrokerMessage(ctx: DeskContext, broker: string, message: InboundMessage): void {
  if (message.type === 'requestReject') {
    onRequestReject(ctx, broker, message);
    return;
  }
  const matched = matchOrder(ctx, broker, message);
  const orderId = matched?.orderId;
  const unasked = message.type === 'executionReport' ? unaskedQuestion(ctx, broker, message) : undefined;
  if (unasked !== undefined && message.type === 'executionReport') {
    refuse(ctx, broker, message, matched, { code: 'unsolicitedStatus', dkReason: 'noMatchingOrder', reason: unasked });
    return;
  }
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
    // reused for another order is that order's execution (journaled as reused: the book warns).
    if (matched !== undefined && hasExecId(matched.execIds, message.execId)) {
      ctx.log.info('duplicate execution report ignored', { broker, execId: message.execId, orderId, possDup: message.possDup });
      return;
    }
    const misfit = instrumentMisfit(ctx, broker, matched!, message) ?? reportMisfit(matched!, message, instrumentTerms(matched!.instrument));
    if (misfit !== undefined) {
      refuse(ctx, broker, message, matched, misfit);
      return;
    }
    const beyondLimit = fillBeyondLimit(matched!, message);
    const reusedFrom = ctx.execIdOwners.reusedFrom(broker, message.execId, orderId);
    record(ctx, { type: 'executionReceived', at: ctx.now(), orderId, broker, report: message, ...(reusedFrom !== undefined && { reusedFrom }) });
    if (beyondLimit !== undefined) {
      raiseAlert(ctx, { level: 'error', code: 'FILL_BEYOND_LIMIT', message: `${broker} ${beyondLimit} (order ${orderId}, ExecID ${message.execId}): kept as reported, check it with the broker`, broker, orderId });
    }
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
  const orderId = reject.clOrdId === undefined ? undefined : ctx.orders.orderIdForClOrdId(reject.clOrdId);
  const order = orderId === undefined ? undefined : ctx.orders.get(orderId);
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

/**
 * A status report answering a question the desk never asked (a MassStatusReqID or OrdStatusReqID it
 * did not send, or sent longer ago than answers come): what it says, else undefined.
 */
function unaskedQuestion(ctx: DeskContext, broker: string, report: ExecutionReportMessage): string | undefined {
  if (report.massStatusReqId !== undefined) return unasked(ctx, broker, 'massStatus', report.massStatusReqId, 'MassStatusReqID (584)');
  if (report.ordStatusReqId !== undefined) return unasked(ctx, broker, 'orderStatus', report.ordStatusReqId, 'OrdStatusReqID (790)');
  return undefined;
}

function unasked(ctx: DeskContext, broker: string, kind: 'massStatus' | 'orderStatus', reqId: string, tag: string): string | undefined {
  const sentAt = ctx.models.sentStatusRequests.view.sentAt(broker, kind, reqId);
  if (sentAt === undefined) return `it answers ${tag} ${reqId}, which the desk never sent to ${broker}`;
  if (ctx.clock.now().getTime() - Date.parse(sentAt) > STATUS_ANSWER_WINDOW_MS) return `it answers ${tag} ${reqId}, sent at ${sentAt}: too long ago to be answered now`;
  return undefined;
}

/** What the desk knows of the order's instrument beyond the order: negative prices only where its asset class has them. */
function instrumentTerms(instrument: Instrument): InstrumentTerms {
  return { negativePrices: instrument.assetClass === 'future' };
}

/**
 * A report about this order must name the order's instrument (as we sent its Instrument component in
 * the session's FIX version): one naming another is refused whole — a fill on the wrong instrument is
 * a break a person must see, never a silent adjustment of the position.
 */
function instrumentMisfit(ctx: DeskContext, broker: string, order: Order, report: ExecutionReportMessage): ReportMisfit | undefined {
  const fixVersion = ctx.config.brokers.find((b) => b.name === broker)?.fixVersion ?? 'FIX.4.4';
  const conflict = instrumentConflict(order, fixVersion, report.symbol, report.instrument);
  return conflict === undefined ? undefined : { code: 'instrumentMismatch', dkReason: 'unknownSymbol', reason: `it names another instrument: ${conflict}` };
}

/** A report refused: journaled (with its order, if it names one of ours), answered with a DontKnowTrade, raised (by the book). Nothing of it applied. */
function refuse(ctx: DeskContext, broker: string, report: ExecutionReportMessage, order: Order | undefined, misfit: ReportMisfit): void {
  ctx.log.warn('execution report refused', { broker, execId: report.execId, clOrdId: report.clOrdId, code: misfit.code, reason: misfit.reason });
  record(ctx, { type: 'brokerReportRefused', at: ctx.now(), broker, ...(order !== undefined && { orderId: order.orderId }), code: misfit.code, reason: misfit.reason, report });
  sendDontKnow(ctx, broker, report, { reason: misfit.dkReason, text: misfit.reason.slice(0, 120), ...(order !== undefined && { quantity: order.quantity.toString() }) });
}

function sendDontKnow(ctx: DeskContext, broker: string, message: ExecutionReportMessage, overrides: Partial<DontKnowTradeMessage> = {}): void {
  const connection = ctx.brokers.get(broker);
  let sent = false;
  try {
    sent = connection?.send({ ...dontKnowTradeFor(message), ...overrides }) !== undefined;
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
  const orderId = ctx.orders.get(report.clOrdId) === undefined ? report.clOrdId : `${broker}.${report.clOrdId}`;
  if (ctx.orders.hasExecution(broker, report.execId, orderId)) return;
  if (ctx.orders.get(orderId) !== undefined) {
    ctx.log.error('cannot adopt: order id taken', { broker, clOrdId: report.clOrdId, orderId });
    record(ctx, { type: 'unmatchedBrokerMessage', at: ctx.now(), broker, message: report });
    return;
  }
  // The desk can only manage an order on an instrument of its master: its cancels name it.
  const identified = identifyInstrument(reportedFields(report), ctx.instruments);
  if ('problem' in identified) {
    record(ctx, { type: 'unmatchedBrokerMessage', at: ctx.now(), broker, message: report });
    raiseAlert(ctx, {
      level: 'error',
      code: 'ORDER_NOT_ADOPTED',
      message: `${broker} knows order ${report.clOrdId} (${report.side ?? '?'} ${report.orderQty ?? '?'} ${report.symbol ?? '?'}) on an instrument the desk cannot name (${identified.problem}): not adopted; check it with the broker`,
      broker,
    });
    return;
  }
  const tradeDate = ctx.tradeDate();
  const instrument = forwardOf(ctx, identified.instrument, identified.valueDate, tradeDate);
  const settlDate = identified.valueDate ?? settlementDate(instrument, tradeDate);
  ctx.execIdOwners.reusedFrom(broker, report.execId, orderId);
  record(ctx, { type: 'orderAdopted', at: ctx.now(), orderId, broker, report, instrument, tradeDate, ...(settlDate !== undefined && { settlDate }) });
  ctx.log.warn('order adopted from a mass status report', { broker, orderId, clOrdId: report.clOrdId, brokerOrderId: report.brokerOrderId });
}

/** The listed FX instrument of the pair that values on `valueDate` today (a forward), else the one identified. */
function forwardOf(ctx: DeskContext, identified: Instrument, valueDate: string | undefined, tradeDate: string): Instrument {
  if (identified.assetClass !== 'fx' || valueDate === undefined) return identified;
  return ctx.instruments.withSymbol(identified.symbol).find((i) => i.assetClass === 'fx' && fxValueDate(i, tradeDate) === valueDate) ?? identified;
}

/** A report's Instrument component by tag, as identifyInstrument reads it. */
function reportedFields(report: ExecutionReportMessage): ReadonlyMap<number, string> {
  return reportedInstrumentFields(report.symbol, report.instrument);
}

/**
 * The order a broker message is about: by any ClOrdID of its chain, else (status reports) by the
 * broker's OrderID; an order of an earlier day (no longer in the book) by a ClOrdID it used, read
 * from the journal (the book takes it back when the message is journaled).
 */
function matchOrder(ctx: DeskContext, broker: string, message: ExecutionReportMessage | CancelRejectMessage): Order | undefined {
  const ids = [message.clOrdId, message.origClOrdId].filter((id): id is string => id !== undefined);
  for (const id of ids) {
    const orderId = ctx.orders.orderIdForClOrdId(id);
    const order = orderId === undefined ? undefined : ctx.orders.get(orderId);
    if (order?.broker === broker) return order;
  }
  if (message.type === 'executionReport' && message.execType === 'orderStatus' && message.brokerOrderId !== undefined) {
    const orderId = ctx.orders.orderIdForBrokerOrderId(broker, message.brokerOrderId);
    if (orderId !== undefined) return ctx.orders.get(orderId);
  }
  if (message.type === 'executionReport' && message.massStatusReqId !== undefined) return undefined; // today's orders only
  for (const id of ids) {
    const past = pastOrderForClOrdId(ctx, broker, id);
    if (past !== undefined) return past;
  }
  return undefined;
}
