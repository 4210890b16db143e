import type { FixMessageView, OrderHistory, OrderHistoryEntry } from '../../../shared/contract/views';
import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import { rejectReason } from '../broker/broker-port';
import { msgTypeName, parseFixText } from '../fix/fix-field-names';
import type { OrderEvent, RiskStamp } from '../journal/desk-events';
import { isOrderEvent } from '../journal/desk-events';
import type { Order } from '../orders/order';
import { applyOrderEvent, displayedStatus } from '../orders/order';
import { orderView } from '../orders/order-views';
import type { DeskContext } from './desk-context';

/**
 * An order's whole story from the journal, whatever its day: every event, the FIX message it
 * carried (raw and parsed), our time and the broker's, and the status after each step. This is the
 * audit trail. Its row: today's order from the live book; an order of an earlier day from the order
 * summaries (written in the commit of its last event).
 */
export function orderHistory(ctx: DeskContext, orderId: string): Result<OrderHistory> {
  const live = ctx.orders.get(orderId);
  const current = live !== undefined ? orderView(live) : ctx.orderSummaries.get(orderId);
  if (current === undefined) return fail('UNKNOWN_ORDER', `no order ${orderId}`);
  let order: Order | undefined;
  const entries = ctx.journal.eventsForOrder(orderId).flatMap(({ seq, event }): OrderHistoryEntry[] => {
    if (
      event.type === 'unmatchedBrokerMessage' ||
      event.type === 'sessionInterrupted' ||
      event.type === 'sessionAdministered' ||
      event.type === 'dropCopyReceived' ||
      event.type === 'alertRaised' ||
      event.type === 'alertsAcknowledged' ||
      event.type === 'dayStarted' ||
      event.type === 'statusRequestSent' ||
      event.type === 'startOfDayImported' ||
      event.type === 'tradingStateSet' ||
      event.type === 'riskLimitsLoaded'
    ) {
      return [];
    }
    if (event.type === 'amendRefused' || event.type === 'cancelDeferred') {
      const summary =
        event.type === 'amendRefused'
          ? `Amend refused by the pre-trade checks (${event.code}, asked by ${event.by}): ${event.reason}`
          : `Kill switch (${event.by}): cancel deferred until ${event.broker} logs on`;
      return [{ seq, at: event.at, event: event.type, summary, ...(order !== undefined && { statusAfter: displayedStatus(order) }) }];
    }
    if (event.type === 'brokerReportRefused') {
      const r = event.report;
      return [
        {
          seq,
          at: event.at,
          event: event.type,
          summary: `Refused ${event.broker}'s execution report ${r.execId} (${r.execType}): ${event.reason}; answered with DontKnowTrade, nothing applied`,
          ...(order !== undefined && { statusAfter: displayedStatus(order) }),
          fix: fixView('in', r.raw),
        },
      ];
    }
    if (event.type === 'dropCopyMismatch') {
      return [
        {
          seq,
          at: event.at,
          event: event.type,
          summary: `Drop copy mismatch (${event.kind}) on execution ${event.execId}: ${event.detail}`,
          ...(order !== undefined && { statusAfter: displayedStatus(order) }),
        },
      ];
    }
    if (event.type === 'fixMessageSent') {
      return [
        {
          seq,
          at: event.at,
          event: event.type,
          summary: `Sent ${msgTypeName(event.msgType)} to ${event.broker}`,
          ...(order !== undefined && { statusAfter: displayedStatus(order) }),
          fix: fixView('out', event.raw),
        },
      ];
    }
    if (!isOrderEvent(event)) return [];
    const applied = applyOrderEvent(order, event);
    if (applied.ok) order = applied.order;
    return [
      {
        seq,
        at: event.at,
        ...brokerTime(event),
        event: event.type,
        summary: summarize(event),
        ...(order !== undefined && { statusAfter: displayedStatus(order) }),
        ...(!applied.ok && { ignored: applied.reason }),
        ...fixOf(event),
      },
    ];
  });
  return ok({ order: current, entries });
}

function summarize(e: OrderEvent): string {
  switch (e.type) {
    case 'orderSubmitted':
    case 'orderDenied': {
      const t = e.ticket;
      const price = [t.limitPrice && `limit ${t.limitPrice}`, t.stopPrice && `stop ${t.stopPrice}`].filter(Boolean).join(', ');
      const what = `${t.side} ${t.quantity} ${e.instrument.symbol} (${e.instrument.id}${e.settlDate !== undefined ? `, settles ${e.settlDate}` : ''}) ${t.orderType}${price ? ` (${price})` : ''} ${t.timeInForce}${t.expireDate ? ` ${t.expireDate}` : ''}, ${t.account} via ${t.broker}, ClOrdID ${e.clOrdId}`;
      if (e.type === 'orderDenied') return `Refused by the desk (${e.code}): ${e.reason}. Ticket: ${what}`;
      return `Submitted: ${what}${overridden(e.risk)}`;
    }
    case 'orderAdopted': {
      const r = e.report;
      return `Adopted from ${e.broker}'s status report ${r.execId}: ${r.side ?? '?'} ${r.orderQty ?? '?'} ${e.instrument.id}, ClOrdID ${r.clOrdId}, ${r.ordStatus}, cum ${r.cumQty} @ ${r.avgPx}`;
    }
    case 'sendFailed':
      return `Not sent (${e.request}, ClOrdID ${e.clOrdId}): ${e.reason}`;
    case 'replaceRequested':
      return `Amend requested: quantity ${e.quantity}${e.limitPrice ? `, limit ${e.limitPrice}` : ''}${e.stopPrice ? `, stop ${e.stopPrice}` : ''} (ClOrdID ${e.clOrdId}, OrigClOrdID ${e.origClOrdId})${overridden(e.risk)}`;
    case 'cancelRequested':
      return `Cancel requested (ClOrdID ${e.clOrdId}, OrigClOrdID ${e.origClOrdId})`;
    case 'cancelRejectReceived':
      return `${e.reject.responseTo === 'cancel' ? 'Cancel' : 'Amend'} rejected by ${e.broker}: ${e.reject.text ?? 'no reason given'}`;
    case 'executionReceived': {
      const r = e.report;
      const fill = r.lastQty !== undefined && r.lastQty !== '0' ? `, ${r.lastQty} @ ${r.lastPx ?? '?'}` : '';
      const text = r.text ? `, "${r.text}"` : '';
      return `Execution report ${r.execId}: ${r.execType} → ${r.ordStatus}${fill}, cum ${r.cumQty}, leaves ${r.leavesQty}, avg ${r.avgPx}${text}${r.possDup ? ' (possible duplicate)' : ''}`;
    }
    case 'brokerRejectReceived': {
      const j = e.reject;
      const what = j.rejected === 'newOrder' ? 'the new order' : j.rejected === 'cancel' ? 'the cancel' : j.rejected === 'replace' ? 'the amend' : 'the status request';
      const how = j.level === 'session' ? 'session-level Reject (35=3)' : 'BusinessMessageReject (35=j)';
      const why = rejectReason(j);
      return `${e.broker} rejected ${what}${j.clOrdId !== undefined ? ` (ClOrdID ${j.clOrdId})` : ''} by ${how}: ${why}`;
    }
    case 'requestTimedOut': {
      const what = e.request === 'new' ? 'the new order' : e.request === 'cancel' ? 'the cancel' : e.request === 'replace' ? 'the amend' : 'the status request';
      return `No answer from ${e.broker} to ${what} (ClOrdID ${e.clOrdId}) within ${e.seconds} s`;
    }
    case 'orderSettled':
      return `Settled by ${e.by} (${e.outcome === 'asShown' ? 'as shown' : e.outcome === 'canceled' ? 'canceled at the broker' : 'never received by the broker'}): ${e.reason}`;
  }
}

function overridden(risk: RiskStamp | undefined): string {
  const o = risk?.overridden;
  if (o === undefined) return '';
  return `. Risk warnings overridden by ${o.by} ("${o.reason}"): ${o.warnings.map((w) => w.message).join('; ')}`;
}

function brokerTime(e: OrderEvent): { brokerTime?: string } {
  if ((e.type === 'executionReceived' || e.type === 'orderAdopted') && e.report.transactTime !== undefined) return { brokerTime: e.report.transactTime };
  return {};
}

function fixOf(e: OrderEvent): Pick<OrderHistoryEntry, 'fix'> {
  const raw =
    e.type === 'executionReceived' || e.type === 'orderAdopted' ? e.report.raw : e.type === 'cancelRejectReceived' || e.type === 'brokerRejectReceived' ? e.reject.raw : undefined;
  if (raw === undefined || raw === '') return {};
  return { fix: fixView('in', raw) };
}

function fixView(direction: 'in' | 'out', raw: string): FixMessageView {
  const fields = parseFixText(raw);
  const msgType = fields.find((f) => f.tag === 35)?.value ?? '?';
  return { direction, msgType, msgTypeName: msgTypeName(msgType), raw, fields };
}
