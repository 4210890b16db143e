import type { ExecType, OrderStatus, OrderType, Side, TimeInForce } from '../../../shared/domain/order-types';
import { TERMINAL_STATUSES } from '../../../shared/domain/order-types';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { OrderEvent } from '../journal/desk-events';
import type { OrderEventKind } from './order-state-table';
import { transition } from './order-state-table';
import { Dec, ZERO } from './decimal';

/** An order as the desk knows it. Immutable: `applyOrderEvent` returns a new one. */
export interface Order {
  readonly orderId: string;
  readonly broker: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly expireDate?: string;
  readonly quantity: Dec;
  readonly limitPrice?: Dec;
  readonly stopPrice?: Dec;
  /** The status at the broker, leaving aside a request of ours not yet answered. */
  readonly working: OrderStatus;
  readonly pending?: PendingRequest;
  /** The ClOrdID of our latest request. */
  readonly clOrdId: string;
  /** The ClOrdID the broker last confirmed: what the next cancel or replace refers to (OrigClOrdID). */
  readonly liveClOrdId: string;
  /** Every ClOrdID this order has used, oldest first. */
  readonly clOrdIds: readonly string[];
  readonly brokerOrderId?: string;
  readonly cumQty: Dec;
  readonly leavesQty: Dec;
  readonly avgPx: Dec;
  readonly text?: string;
  readonly overfilled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface PendingRequest {
  readonly kind: 'cancel' | 'replace';
  readonly clOrdId: string;
  readonly origClOrdId: string;
  readonly acknowledged: boolean;
  readonly quantity?: Dec;
  readonly limitPrice?: Dec;
  readonly stopPrice?: Dec;
}

/** What applying an event produced besides the new order: fills for the executions blotter, alerts. */
export type OrderEffect =
  | { readonly kind: 'execution'; readonly report: ExecutionReportMessage; readonly broker: string }
  | { readonly kind: 'alert'; readonly level: 'info' | 'warning' | 'error'; readonly message: string };

export type ApplyResult =
  | { readonly ok: true; readonly order: Order; readonly effects: readonly OrderEffect[] }
  | { readonly ok: false; readonly reason: string };

export function displayedStatus(order: Order): OrderStatus {
  if (order.pending === undefined || TERMINAL_STATUSES.has(order.working)) return order.working;
  return order.pending.kind === 'cancel' ? 'pendingCancel' : 'pendingReplace';
}

export function isOpen(order: Order): boolean {
  return !TERMINAL_STATUSES.has(order.working);
}

/** The only way an order changes. An illegal event changes nothing and says why. */
export function applyOrderEvent(order: Order | undefined, event: OrderEvent): ApplyResult {
  const kind = eventKind(event);
  const target = transition(order?.working ?? 'none', kind);
  if (target === undefined) {
    return { ok: false, reason: `${kind} is not allowed when the order is ${order?.working ?? 'unknown'}` };
  }
  if (event.type === 'orderSubmitted' || event.type === 'orderDenied') {
    const created = createOrder(event);
    return { ok: true, order: created, effects: [] };
  }
  if (order === undefined) return { ok: false, reason: 'unknown order' };

  const effects: OrderEffect[] = [];
  let next: Mutable<Order> = { ...order, updatedAt: event.at, version: order.version + 1 };

  switch (event.type) {
    case 'sendFailed':
      next.text = `not sent: ${event.reason}`;
      if (event.request === 'new') next.leavesQty = ZERO;
      else next.pending = undefined;
      break;
    case 'cancelRequested':
      next.pending = { kind: 'cancel', clOrdId: event.clOrdId, origClOrdId: event.origClOrdId, acknowledged: false };
      next.clOrdId = event.clOrdId;
      next.clOrdIds = [...order.clOrdIds, event.clOrdId];
      break;
    case 'replaceRequested':
      next.pending = {
        kind: 'replace',
        clOrdId: event.clOrdId,
        origClOrdId: event.origClOrdId,
        acknowledged: false,
        quantity: new Dec(event.quantity),
        ...(event.limitPrice !== undefined && { limitPrice: new Dec(event.limitPrice) }),
        ...(event.stopPrice !== undefined && { stopPrice: new Dec(event.stopPrice) }),
      };
      next.clOrdId = event.clOrdId;
      next.clOrdIds = [...order.clOrdIds, event.clOrdId];
      break;
    case 'cancelRejectReceived':
      next.pending = undefined;
      next.text = `${event.reject.responseTo === 'cancel' ? 'cancel' : 'amend'} rejected: ${event.reject.text ?? 'no reason given'}`;
      if (event.reject.brokerOrderId !== undefined) next.brokerOrderId = event.reject.brokerOrderId;
      break;
    case 'executionReceived':
      next = applyReport(next, order, event.report, kind, effects, event.broker);
      break;
  }

  next.working = resolveTarget(target, next, event);
  if (TERMINAL_STATUSES.has(next.working)) next.pending = undefined;
  if (next.cumQty.greaterThan(next.quantity) && !order.overfilled) {
    next.overfilled = true;
    effects.push({
      kind: 'alert',
      level: 'error',
      message: `OVERFILL on ${order.orderId}: executed ${next.cumQty.toFixed()} of ${next.quantity.toFixed()} ${order.symbol}`,
    });
  }
  return { ok: true, order: next, effects };
}

function applyReport(
  next: Mutable<Order>,
  before: Order,
  report: ExecutionReportMessage,
  kind: OrderEventKind,
  effects: OrderEffect[],
  broker: string,
): Mutable<Order> {
  next.cumQty = new Dec(report.cumQty);
  next.leavesQty = new Dec(report.leavesQty);
  next.avgPx = new Dec(report.avgPx);
  if (report.brokerOrderId !== undefined) next.brokerOrderId = report.brokerOrderId;
  switch (kind) {
    case 'trade':
    case 'tradeCancel':
    case 'tradeCorrect':
      effects.push({ kind: 'execution', report, broker });
      if (kind !== 'trade') effects.push({ kind: 'alert', level: 'warning', message: `${describe(report.execType)} on ${before.orderId}: execution ${report.execId}` });
      break;
    case 'pendingCancel':
    case 'pendingReplace':
      if (next.pending !== undefined) next.pending = { ...next.pending, acknowledged: true };
      break;
    case 'replaced': {
      const p = before.pending;
      if (report.orderQty !== undefined) next.quantity = new Dec(report.orderQty);
      else if (p?.quantity !== undefined) next.quantity = p.quantity;
      const limit = report.limitPrice ?? p?.limitPrice?.toFixed();
      const stop = report.stopPrice ?? p?.stopPrice?.toFixed();
      if (limit !== undefined) next.limitPrice = new Dec(limit);
      if (stop !== undefined) next.stopPrice = new Dec(stop);
      next.liveClOrdId = report.clOrdId;
      next.pending = undefined;
      next.text = undefined;
      break;
    }
    case 'canceled':
      if (before.pending?.kind !== 'cancel') {
        effects.push({ kind: 'alert', level: 'warning', message: `unsolicited cancel of ${before.orderId}${report.text ? `: ${report.text}` : ''}` });
      }
      next.liveClOrdId = report.clOrdId;
      if (report.text !== undefined) next.text = report.text;
      break;
    case 'rejected':
      next.text = report.text ?? 'rejected by the broker (no reason given)';
      break;
    case 'restated':
      next.text = `restated${report.text ? `: ${report.text}` : ''}`;
      if (report.orderQty !== undefined) next.quantity = new Dec(report.orderQty);
      break;
    case 'statusReport':
      if (report.ordStatus === 'rejected') next.text = `broker does not know the order${report.text ? `: ${report.text}` : ''}`;
      settlePendingFromStatus(next, before, report);
      break;
    case 'expired':
    case 'doneForDay':
    case 'suspended':
      if (report.text !== undefined) next.text = report.text;
      break;
    default:
      break;
  }
  return next;
}

/**
 * A status report that shows no pending request at the broker settles ours: a replace the broker
 * carried out (it reports under the new ClOrdID) is applied; one it never received (lost in a crash or
 * a disconnect) is dropped with a note, so the trader can send it again.
 */
function settlePendingFromStatus(next: Mutable<Order>, before: Order, report: ExecutionReportMessage): void {
  const p = before.pending;
  if (p === undefined || report.ordStatus === 'pendingCancel' || report.ordStatus === 'pendingReplace') return;
  if (report.clOrdId === p.clOrdId) {
    if (p.kind === 'replace') {
      if (report.orderQty !== undefined) next.quantity = new Dec(report.orderQty);
      if (report.limitPrice !== undefined) next.limitPrice = new Dec(report.limitPrice);
      if (report.stopPrice !== undefined) next.stopPrice = new Dec(report.stopPrice);
    }
    next.liveClOrdId = report.clOrdId;
  } else if (report.ordStatus !== 'rejected') {
    next.text = `the broker did not receive our ${p.kind === 'cancel' ? 'cancel' : 'amend'} (${p.clOrdId}): send it again if still wanted`;
  }
  next.pending = undefined;
}

function resolveTarget(target: ReturnType<typeof transition> & string, next: Order, event: OrderEvent): OrderStatus {
  switch (target) {
    case 'same':
      return next.working;
    case 'byQuantity':
      if (next.cumQty.isZero()) return 'new';
      return next.cumQty.greaterThanOrEqualTo(next.quantity) ? 'filled' : 'partiallyFilled';
    case 'reported': {
      const reported = event.type === 'executionReceived' ? event.report.ordStatus : next.working;
      if (reported === 'pendingCancel' || reported === 'pendingReplace') {
        return resolveTarget('byQuantity', next, event);
      }
      return reported;
    }
    default:
      return target;
  }
}

function createOrder(event: Extract<OrderEvent, { type: 'orderSubmitted' | 'orderDenied' }>): Order {
  const t = event.ticket;
  const quantity = new Dec(t.quantity);
  return {
    orderId: event.orderId,
    broker: t.broker,
    account: t.account,
    symbol: t.symbol,
    side: t.side,
    orderType: t.orderType,
    timeInForce: t.timeInForce,
    ...(t.expireDate !== undefined && { expireDate: t.expireDate }),
    quantity,
    ...(t.limitPrice !== undefined && { limitPrice: new Dec(t.limitPrice) }),
    ...(t.stopPrice !== undefined && { stopPrice: new Dec(t.stopPrice) }),
    working: event.type === 'orderSubmitted' ? 'pendingNew' : 'rejected',
    clOrdId: event.clOrdId,
    liveClOrdId: event.clOrdId,
    clOrdIds: [event.clOrdId],
    cumQty: ZERO,
    leavesQty: event.type === 'orderSubmitted' ? quantity : ZERO,
    avgPx: ZERO,
    ...(event.type === 'orderDenied' && { text: `desk refused: ${event.reason}` }),
    overfilled: false,
    createdAt: event.at,
    updatedAt: event.at,
    version: 1,
  };
}

const EXEC_TYPE_EVENTS: Record<ExecType, OrderEventKind> = {
  new: 'accepted',
  trade: 'trade',
  pendingNew: 'pendingNew',
  pendingCancel: 'pendingCancel',
  canceled: 'canceled',
  pendingReplace: 'pendingReplace',
  replaced: 'replaced',
  rejected: 'rejected',
  doneForDay: 'doneForDay',
  expired: 'expired',
  suspended: 'suspended',
  stopped: 'stopped',
  restated: 'restated',
  tradeCancel: 'tradeCancel',
  tradeCorrect: 'tradeCorrect',
  orderStatus: 'statusReport',
  calculated: 'restated',
};

export function eventKind(event: OrderEvent): OrderEventKind {
  switch (event.type) {
    case 'orderSubmitted':
      return 'submitted';
    case 'orderDenied':
      return 'denied';
    case 'sendFailed':
      return event.request === 'new' ? 'sendFailed' : 'requestNotSent';
    case 'cancelRequested':
      return 'cancelRequested';
    case 'replaceRequested':
      return 'replaceRequested';
    case 'cancelRejectReceived':
      return 'cancelRejected';
    case 'executionReceived':
      return EXEC_TYPE_EVENTS[event.report.execType];
  }
}

function describe(execType: ExecType): string {
  return execType === 'tradeCancel' ? 'trade bust' : execType === 'tradeCorrect' ? 'trade correction' : execType;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
