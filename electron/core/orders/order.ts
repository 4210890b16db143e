import type { Instrument } from '../../../shared/domain/instrument';
import type { ExecType, OrderStatus, OrderType, Side, TimeInForce } from '../../../shared/domain/order-types';
import type { ExecutionReportMessage } from '../broker/broker-port';
import { rejectReason } from '../broker/broker-port';
import type { DeskEvent, OrderEvent } from '../journal/desk-events';
import { isOrderEvent } from '../journal/desk-events';
import type { OrderEventKind, Target } from './order-state-table';
import { ORD_STATUS_PRECEDENCE, transition } from './order-state-table';
import { Dec, ZERO } from '../decimal/decimal';
import type { ExecIdList } from './exec-id-list';
import { withExecId } from './exec-id-list';
import { AppendOnlyList } from './append-only-list';

/** An order as the desk knows it. Immutable: `applyOrderEvent` returns a new one. */
export interface Order {
  readonly orderId: string;
  readonly broker: string;
  readonly account: string;
  /** The instrument as the master described it when the order was entered (its FIX fields for the order's life). */
  readonly instrument: Instrument;
  /** The desk's trading date when the order was entered: the dates its FIX messages carry come from it. */
  readonly tradeDate: string;
  /** FX: the value date; bond: the settlement date. */
  readonly settlDate?: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly expireDate?: string;
  readonly quantity: Dec;
  readonly limitPrice?: Dec;
  readonly stopPrice?: Dec;
  /** The status at the broker, leaving aside requests of ours not yet answered. */
  readonly working: OrderStatus;
  /** Our cancel/replace requests not yet answered, oldest first (more than one when chained, D.2). */
  readonly requests: readonly PendingRequest[];
  /** The latest of `requests` (what the blotter shows as pending). */
  readonly pending?: PendingRequest;
  /** The ClOrdID of our latest request. */
  readonly clOrdId: string;
  /** The ClOrdID the broker last confirmed: the order's current identity at the broker. */
  readonly liveClOrdId: string;
  /** Every ClOrdID this order has used, oldest first (the chain of OrigClOrdIDs). */
  readonly clOrdIds: readonly string[];
  readonly brokerOrderId?: string;
  /** Every execution, with busts and corrections applied: CumQty and AvgPx are a fold over it. */
  readonly fills: FillList;
  /** Quantity the broker reported executed that we have not seen as fills (missed while away, or still in flight). */
  readonly unseen?: { readonly quantity: Dec; readonly notional: Dec };
  /**
   * The broker's restatement of the totals that no fill explains: a corporate action (H.1.b: a 2:1
   * split doubles CumQty and halves AvgPx), or a bust/correction naming no execution. Permanent.
   */
  readonly adjustment?: { readonly quantity: Dec; readonly notional: Dec };
  /** ExecIDs busted or corrected before their own report arrived (a sequence gap): applied when it does. */
  readonly voidedExecIds: readonly string[];
  /**
   * Every ExecID applied to this order, oldest first: an execution report is applied once per
   * (broker, ExecID, order); a resend, a PossDup or a duplicate is not journaled again (desk/broker-inbound.ts).
   */
  readonly execIds: ExecIdList;
  readonly cumQty: Dec;
  readonly leavesQty: Dec;
  readonly avgPx: Dec;
  readonly text?: string;
  /** The pre-trade checks' word on it: the codes that refused it, or the warnings a person overrode (who, why). */
  readonly risk?: string;
  readonly overfilled: boolean;
  /**
   * A request of ours was unanswered when the session dropped or the desk restarted, or past its
   * timeout: fate unknown until a status report (or a person) settles it. `label`: what the blotter
   * shows ("no answer from BROKER", "status refused by BROKER"); absent: reconciling.
   */
  readonly uncertain?: { readonly reason: string; readonly since: string; readonly label?: string };
  /** Status requests for this order the broker refused or left unanswered since it last answered one (or since the order became uncertain). */
  readonly statusCheck?: { readonly failures: number; readonly lastFailure: string; readonly at: string };
  /** Our NewOrderSingle got no answer within its timeout (cleared by any answer). */
  readonly newOrderTimedOut?: true;
  /** Taken on from the broker's status report: the desk never sent it. */
  readonly adopted?: true;
  /** A child of this algo parent (algos/): sent by its scheduler. */
  readonly parentId?: string;
  /** Routed to the broker's own algorithm: the strategy's name in the broker's FIXatdl file. */
  readonly brokerAlgo?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface PendingRequest {
  readonly kind: 'cancel' | 'replace';
  readonly clOrdId: string;
  readonly origClOrdId: string;
  /** The broker answered Pending Cancel / Pending Replace: the order is in that state at the broker. */
  readonly acknowledged: boolean;
  /** When the desk sent it (its timeout runs from here). */
  readonly sentAt: string;
  /** No answer within its timeout: the desk no longer waits on it (a cancel may follow it). */
  readonly timedOut?: true;
  readonly quantity?: Dec;
  readonly limitPrice?: Dec;
  readonly stopPrice?: Dec;
}

/** One execution as it stands now. A bust or a correction changes its state, never removes it. */
export interface Fill {
  readonly execId: string;
  readonly quantity: Dec;
  readonly price: Dec;
  readonly state: 'active' | 'busted' | 'corrected';
  /** The ExecID of the bust or correction that ended it. */
  readonly endedBy?: string;
  /** For a correction: the ExecID it replaces (ExecRefID). */
  readonly corrects?: string;
}

/** An order's fills, oldest first: versions made by appending a fill share one array. */
export type FillList = AppendOnlyList<Fill>;

/** What applying an event produced besides the new order: execution rows, alerts, a DK to send. */
export type OrderEffect =
  | {
      readonly kind: 'execution';
      readonly report: ExecutionReportMessage;
      readonly broker: string;
      /** Quantity a status report told us was executed (fills we never saw): the increase and its implied price. */
      readonly reconciled?: { readonly quantity: Dec; readonly price: Dec };
    }
  | { readonly kind: 'executionEnded'; readonly execId: string; readonly state: 'busted' | 'corrected'; readonly endedBy: string }
  /** An alert; `aboutBroker`: about the order's broker, not this order (one alert for many orders). */
  | { readonly kind: 'alert'; readonly level: 'info' | 'warning' | 'error'; readonly code: string; readonly message: string; readonly aboutBroker?: true };

export type ApplyResult =
  | { readonly ok: true; readonly order: Order; readonly effects: readonly OrderEffect[] }
  | { readonly ok: false; readonly reason: string };

/** AvgPx is exact when the quotient terminates within this many places, else rounded half-even. */
export const AVG_PX_DECIMALS = 12;

/** Statuses after which nothing more is worked (a GT order's done for day is not one of them). */
const DONE: ReadonlySet<OrderStatus> = new Set(['filled', 'canceled', 'rejected', 'expired']);

function isGoodTill(order: Pick<Order, 'timeInForce'>): boolean {
  return order.timeInForce === 'gtc' || order.timeInForce === 'gtd';
}

/** True when the order is finished at the broker: nothing more will be worked (short of a bust or a C.1.c replace). */
export function isDone(order: Pick<Order, 'working' | 'timeInForce'>): boolean {
  return DONE.has(order.working) || (order.working === 'doneForDay' && !isGoodTill(order));
}

export function isOpen(order: Order): boolean {
  return !isDone(order);
}

/**
 * The OrdStatus the desk shows: the working status and our outstanding requests, by FIX OrdStatus
 * precedence. A request the broker acknowledged (150=6/E) puts the order in Pending Cancel/Replace
 * at the broker, which outranks even Filled (B.1.c step 6) until the Cancel Reject comes. A request
 * not yet acknowledged is shown while the order is working; once the order is done it is not shown,
 * since the broker never had the order in that state (C.2.a step 4: Filled).
 */
export function displayedStatus(order: Order): OrderStatus {
  let shown = order.working;
  const done = isDone(order);
  for (const r of order.requests) {
    if (done && !r.acknowledged) continue;
    const overlay: OrderStatus = r.kind === 'cancel' ? 'pendingCancel' : 'pendingReplace';
    if (ORD_STATUS_PRECEDENCE[overlay] > ORD_STATUS_PRECEDENCE[shown]) shown = overlay;
  }
  return shown;
}

/**
 * Why the desk will not send a cancel or amend now; undefined when it may. A request that got no
 * answer within its timeout no longer blocks a cancel (canceling an order whose state is in doubt
 * is safe: the broker cancels it or rejects the cancel), but an amend waits until it is settled.
 */
export function requestRefusal(order: Order, action: 'amend' | 'cancel', allowChaining: boolean): string | undefined {
  const amendFilled = action === 'amend' && order.working === 'filled'; // C.1.c: raise the quantity of a filled order
  if (isDone(order) && !amendFilled) return `it is ${order.working}`;
  const awaited = order.requests.filter((r) => r.timedOut !== true);
  const last = awaited.at(-1);
  if (last === undefined) {
    if (action === 'amend' && order.requests.length > 0) return 'an earlier request got no answer from the broker: wait for its status, or settle the order';
    return undefined;
  }
  if (!allowChaining) return `${last.kind === 'cancel' ? 'a cancel' : 'an amend'} is already pending`;
  if (awaited.some((r) => r.kind === 'cancel')) return 'a cancel is already pending';
  return undefined;
}

/**
 * OrigClOrdID for our next request: the last ClOrdID not rejected (D.2.a: chained requests refer to
 * the previous one); a request that got no answer may never have reached the broker, so the one
 * before it (with the broker's OrderID beside it, by which brokers find an order whatever the ClOrdID).
 */
export function nextOrigClOrdId(order: Order): string {
  for (let i = order.requests.length - 1; i >= 0; i--) {
    const r = order.requests[i] as PendingRequest;
    if (r.timedOut !== true) return r.clOrdId;
  }
  return order.liveClOrdId;
}

/** The only way an order changes. An illegal event changes nothing and says why. */
export function applyOrderEvent(order: Order | undefined, event: OrderEvent): ApplyResult {
  const kind = eventKind(event);
  const target = transition(order?.working ?? 'none', kind);
  if (target === undefined) {
    return { ok: false, reason: `${kind} is not allowed when the order is ${order?.working ?? 'unknown'}` };
  }
  if (event.type === 'orderSubmitted' || event.type === 'orderDenied') {
    return { ok: true, order: createOrder(event), effects: [] };
  }
  if (event.type === 'orderAdopted') return adoptOrder(event, target);
  if (order === undefined) return { ok: false, reason: 'unknown order' };

  const effects: OrderEffect[] = [];
  const next: Mutable<Order> = { ...order, updatedAt: event.at, version: order.version + 1 };

  switch (event.type) {
    case 'sendFailed':
      next.text = `not sent: ${event.reason}`;
      if (event.request !== 'new') setRequests(next, order.requests.filter((r) => r.clOrdId !== event.clOrdId));
      break;
    case 'cancelRequested':
      setRequests(next, [...order.requests, { kind: 'cancel', clOrdId: event.clOrdId, origClOrdId: event.origClOrdId, acknowledged: false, sentAt: event.at }]);
      next.clOrdId = event.clOrdId;
      next.clOrdIds = [...order.clOrdIds, event.clOrdId];
      break;
    case 'replaceRequested':
      setRequests(next, [
        ...order.requests,
        {
          kind: 'replace',
          clOrdId: event.clOrdId,
          origClOrdId: event.origClOrdId,
          acknowledged: false,
          sentAt: event.at,
          quantity: new Dec(event.quantity),
          ...(event.limitPrice !== undefined && { limitPrice: new Dec(event.limitPrice) }),
          ...(event.stopPrice !== undefined && { stopPrice: new Dec(event.stopPrice) }),
        },
      ]);
      next.clOrdId = event.clOrdId;
      next.clOrdIds = [...order.clOrdIds, event.clOrdId];
      if (event.risk?.overridden !== undefined) next.risk = riskNote(event);
      break;
    case 'cancelRejectReceived': {
      // Only the rejected request goes; an earlier one in a chain stays pending (D.2.c).
      // A broker that does not echo our ClOrdID: the oldest request of the kind it answers.
      const rejected =
        order.requests.find((r) => r.clOrdId === event.reject.clOrdId) ?? order.requests.find((r) => r.kind === event.reject.responseTo);
      setRequests(next, order.requests.filter((r) => r !== rejected));
      const what = event.reject.responseTo === 'cancel' ? 'cancel' : 'amend';
      next.text = `${what} rejected: ${event.reject.text ?? 'no reason given'}`;
      if (event.reject.ordStatus === 'rejected' && !isDone(order)) {
        // B.1.f: the broker answers "unknown order" (OrdStatus Rejected) for an order the desk thinks is working.
        next.text = `${what} rejected: the broker does not know the order (${event.reject.text ?? 'unknown order'}); check it with the broker`;
        effects.push({ kind: 'alert', level: 'error', code: 'ORDER_UNKNOWN_TO_BROKER', message: `${order.orderId}: ${next.text}` });
      }
      if (rejected === undefined) next.text += ` (request ${event.reject.clOrdId} was no longer pending)`;
      if (event.reject.brokerOrderId !== undefined) next.brokerOrderId = event.reject.brokerOrderId;
      break;
    }
    case 'executionReceived':
      next.execIds = withExecId(order.execIds, event.report.execId);
      applyReport(next, order, event.report, kind, effects, event.broker);
      break;
    case 'brokerRejectReceived':
      applyBrokerReject(next, order, event.reject, event.broker, effects);
      break;
    case 'requestTimedOut':
      applyTimeout(next, order, event, effects);
      break;
    case 'orderSettled':
      setRequests(next, []);
      next.uncertain = undefined;
      next.statusCheck = undefined;
      next.newOrderTimedOut = undefined;
      next.text = `settled by ${event.by} (${SETTLED_AS[event.outcome]}): ${event.reason}`;
      effects.push({ kind: 'alert', level: 'info', code: 'ORDER_SETTLED', message: `Order ${order.orderId} settled by ${event.by} (${SETTLED_AS[event.outcome]}): ${event.reason}` });
      break;
  }

  next.working = resolveTarget(target, next, event);
  if (DONE.has(next.working) && next.working !== 'filled') setRequests(next, []);
  // A filled order keeps its requests: the broker still owes the Cancel Reject (B.1.c step 7).
  if (next.working === 'doneForDay' && !isGoodTill(next)) setRequests(next, []);
  settleQuantities(next);
  if (next.cumQty.greaterThan(next.quantity) && !order.overfilled) {
    next.overfilled = true;
    effects.push({
      kind: 'alert',
      level: 'error',
      code: 'OVERFILL',
      message: `OVERFILL on ${order.orderId}: executed ${next.cumQty.toFixed()} of ${next.quantity.toFixed()} ${order.instrument.symbol}`,
    });
  }
  if (event.type === 'executionReceived') checkBrokerTotals(next, event.report, kind, effects);
  // A status report says what the broker has; any other answer settles it once nothing of ours is outstanding.
  if (next.uncertain !== undefined && (kind === 'statusReport' || !awaitsAnswer(next))) next.uncertain = undefined;
  // The check succeeded (the broker answered one), or there is nothing in doubt any more.
  if (next.statusCheck !== undefined && (kind === 'statusReport' || (next.uncertain === undefined && order.uncertain !== undefined))) next.statusCheck = undefined;
  if (next.newOrderTimedOut === true && next.working !== 'pendingNew') next.newOrderTimedOut = undefined;
  return { ok: true, order: next, effects };
}

/**
 * True when a request of ours (the new order, a cancel, an amend) has no answer yet and the order
 * could still be changed by it: open, or filled with a replace or cancel the broker has not answered
 * (C.1.c, B.1.c).
 */
export function awaitsAnswer(order: Order): boolean {
  if (order.working === 'filled') return order.requests.length > 0;
  return isOpen(order) && (order.working === 'pendingNew' || order.requests.length > 0);
}

const SETTLED_AS: Readonly<Record<Extract<OrderEvent, { type: 'orderSettled' }>['outcome'], string>> = {
  asShown: 'as shown',
  canceled: 'canceled at the broker',
  rejected: 'never received by the broker',
};

const REQUEST_WORDS = { newOrder: 'new order', cancel: 'cancel', replace: 'amend', statusRequest: 'status request' } as const;

/**
 * A broker's 35=3 / 35=j of one of our requests about this order, applied as FIX means it: the new
 * order rejected, a cancel or amend rejected (its overlay goes: the order is as it was), a status
 * check failed. The alert and the order's text say who refused what, and why.
 */
function applyBrokerReject(next: Mutable<Order>, before: Order, reject: Extract<OrderEvent, { type: 'brokerRejectReceived' }>['reject'], broker: string, effects: OrderEffect[]): void {
  const why = rejectReason(reject);
  const what = REQUEST_WORDS[reject.rejected];
  const how = reject.level === 'session' ? 'session-level Reject (35=3)' : 'BusinessMessageReject (35=j)';
  const message = `${broker} rejected the ${what} for order ${before.orderId}: ${why} (${how})`;
  switch (reject.rejected) {
    case 'newOrder':
      if (before.working === 'pendingNew') {
        next.text = `${broker} rejected the order: ${why}`;
        effects.push({ kind: 'alert', level: 'error', code: 'BROKER_REJECT', message });
      } else {
        effects.push({ kind: 'alert', level: 'warning', code: 'BROKER_REJECT', message: `${message}; the broker had already taken the order (${before.working}): nothing changed` });
      }
      return;
    case 'cancel':
    case 'replace': {
      const kind = reject.rejected;
      const rejected = before.requests.find((r) => r.clOrdId === reject.clOrdId) ?? before.requests.find((r) => r.kind === kind);
      setRequests(next, before.requests.filter((r) => r !== rejected));
      next.text = `${what} rejected by ${broker}: ${why}`;
      if (rejected === undefined) next.text += ` (request ${reject.clOrdId ?? '?'} was no longer pending)`;
      effects.push({ kind: 'alert', level: 'warning', code: 'BROKER_REJECT', message });
      return;
    }
    case 'statusRequest':
      failStatusCheck(next, before, `status request refused by ${broker}: ${why}`, `status refused by ${broker}`);
      if (before.uncertain !== undefined) effects.push({ kind: 'alert', level: 'error', code: 'STATUS_CHECK_FAILED', message: `${message}; the order's state at the broker is unknown` });
      // A routine check (nothing in doubt): one alert about the broker, however many orders it refuses.
      else effects.push({ kind: 'alert', level: 'warning', code: 'STATUS_CHECK_FAILED', aboutBroker: true, message: `${broker} refused our status request: ${why} (${how}); the state of its orders is not confirmed` });
      return;
  }
}

/** No answer within the timeout: the request is given up on, the order is in doubt, and the desk asks for its status. */
function applyTimeout(next: Mutable<Order>, before: Order, event: Extract<OrderEvent, { type: 'requestTimedOut' }>, effects: OrderEffect[]): void {
  const { broker, request, seconds } = event;
  const label = `no answer from ${broker}`;
  if (request === 'status') {
    failStatusCheck(next, before, `${label} to our status request within ${seconds} s`, label);
    effects.push({ kind: 'alert', level: before.uncertain !== undefined ? 'error' : 'warning', code: 'NO_ANSWER', message: `No answer from ${broker} to the status request for order ${before.orderId} within ${seconds} s` });
    return;
  }
  const what = request === 'new' ? 'new order' : request === 'cancel' ? 'cancel' : 'amend';
  if (request === 'new') next.newOrderTimedOut = true;
  else setRequests(next, before.requests.map((r) => (r.clOrdId === event.clOrdId ? { ...r, timedOut: true as const } : r)));
  const reason = `${label} to our ${what} (${event.clOrdId}) within ${seconds} s`;
  next.uncertain = { reason, since: before.uncertain?.since ?? event.at, label };
  effects.push({ kind: 'alert', level: 'warning', code: 'NO_ANSWER', message: `No answer from ${broker} to the ${what} for order ${before.orderId} within ${seconds} s: asking for its status` });
}

function failStatusCheck(next: Mutable<Order>, before: Order, failure: string, label: string): void {
  next.statusCheck = { failures: (before.statusCheck?.failures ?? 0) + 1, lastFailure: failure, at: next.updatedAt };
  if (before.uncertain !== undefined) next.uncertain = { ...before.uncertain, label };
}

/**
 * The order after its broker's session was interrupted (dropped, or the desk restarted) with a
 * request of ours unanswered; undefined when the order is not affected or already uncertain.
 */
export function markUncertain(order: Order, reason: string, at: string): Order | undefined {
  if (order.uncertain !== undefined || !awaitsAnswer(order)) return undefined;
  // A new doubt: the status checks made before it do not count against it.
  return { ...order, uncertain: { reason, since: at }, statusCheck: undefined, updatedAt: at, version: order.version + 1 };
}

/** An order the broker knows and the desk did not, built from the broker's status report. */
function adoptOrder(event: Extract<OrderEvent, { type: 'orderAdopted' }>, target: Target): ApplyResult {
  const r = event.report;
  if (r.side === undefined || r.orderQty === undefined) {
    return { ok: false, reason: 'the status report lacks the side or quantity needed to adopt the order' };
  }
  const quantity = new Dec(r.orderQty);
  const base: Mutable<Order> = {
    orderId: event.orderId,
    broker: event.broker,
    account: UNKNOWN_ACCOUNT,
    instrument: event.instrument,
    tradeDate: event.tradeDate,
    ...(event.settlDate !== undefined && { settlDate: event.settlDate }),
    side: r.side,
    orderType: r.limitPrice !== undefined ? (r.stopPrice !== undefined ? 'stopLimit' : 'limit') : r.stopPrice !== undefined ? 'stop' : 'market',
    timeInForce: 'day',
    quantity,
    ...(r.limitPrice !== undefined && { limitPrice: new Dec(r.limitPrice) }),
    ...(r.stopPrice !== undefined && { stopPrice: new Dec(r.stopPrice) }),
    working: 'new',
    requests: [],
    clOrdId: r.clOrdId,
    liveClOrdId: r.clOrdId,
    clOrdIds: r.origClOrdId !== undefined && r.origClOrdId !== r.clOrdId ? [r.origClOrdId, r.clOrdId] : [r.clOrdId],
    ...(r.brokerOrderId !== undefined && { brokerOrderId: r.brokerOrderId }),
    fills: AppendOnlyList.empty(),
    voidedExecIds: [],
    execIds: AppendOnlyList.of([r.execId]),
    cumQty: ZERO,
    leavesQty: quantity,
    avgPx: ZERO,
    text: `adopted from ${event.broker}'s status report: the desk had no record of it (account unknown, time in force shown as Day)`,
    overfilled: false,
    adopted: true,
    createdAt: event.at,
    updatedAt: event.at,
    version: 1,
  };
  const effects: OrderEffect[] = [];
  learnUnseen(base, r, 'statusReport', effects, event.broker);
  base.working = resolveTarget(target, base, event);
  settleQuantities(base);
  effects.push({
    kind: 'alert',
    level: 'warning',
    code: 'ORDER_ADOPTED',
    message: `${event.broker} knows an order the desk did not: adopted as ${event.orderId} (${r.side} ${r.orderQty} ${event.instrument.id}, ClOrdID ${r.clOrdId}, ${r.ordStatus}, executed ${r.cumQty})`,
  });
  return { ok: true, order: base, effects };
}

/** The account of an adopted order whose status report named none. */
export const UNKNOWN_ACCOUNT = 'UNKNOWN';

function applyReport(next: Mutable<Order>, before: Order, report: ExecutionReportMessage, kind: OrderEventKind, effects: OrderEffect[], broker: string): void {
  if (report.brokerOrderId !== undefined) next.brokerOrderId = report.brokerOrderId;
  switch (kind) {
    case 'trade':
      addFill(next, before, report);
      effects.push({ kind: 'execution', report, broker });
      break;
    case 'tradeCancel':
    case 'tradeCorrect':
      endFill(next, report, kind, effects);
      effects.push({ kind: 'execution', report, broker });
      effects.push({ kind: 'alert', level: 'warning', code: 'TRADE_BUST', message: `${kind === 'tradeCancel' ? 'trade bust' : 'trade correction'} on ${before.orderId}: execution ${report.execRefId ?? '(no ExecRefID)'} by ${report.execId}` });
      break;
    case 'pendingCancel':
    case 'pendingReplace':
      setRequests(
        next,
        before.requests.map((r) => (r.clOrdId === report.clOrdId ? { ...r, acknowledged: true } : r)),
      );
      break;
    case 'replaced':
      applyReplaced(next, before, report);
      break;
    case 'canceled': {
      const solicited = before.requests.some((r) => r.kind === 'cancel');
      const why = [report.restatementReason, report.text].filter((t) => t !== undefined).join(': ');
      if (!solicited && !DONE.has(before.working)) {
        const kill = before.timeInForce === 'ioc' || before.timeInForce === 'fok';
        effects.push({
          kind: 'alert',
          level: kill ? 'info' : 'warning',
          code: kill ? 'ORDER_KILLED' : 'UNSOLICITED_CANCEL',
          message: kill
            ? `${before.timeInForce.toUpperCase()} order killed: ${before.orderId} canceled by the broker${why ? `: ${why}` : ''}`
            : `unsolicited cancel of ${before.orderId}${why ? `: ${why}` : ''}`,
        });
      }
      if (isLaterInChain(before, report.clOrdId)) next.liveClOrdId = report.clOrdId;
      if (why) next.text = solicited ? why : `canceled by the broker: ${why}`;
      break;
    }
    case 'rejected':
      next.text = report.text ?? 'rejected by the broker (no reason given)';
      break;
    case 'restated':
      next.text = `restated${report.restatementReason ? ` (${report.restatementReason})` : ''}${report.text ? `: ${report.text}` : ''}`;
      if (report.orderQty !== undefined) next.quantity = new Dec(report.orderQty);
      if (report.limitPrice !== undefined) next.limitPrice = new Dec(report.limitPrice);
      if (report.stopPrice !== undefined) next.stopPrice = new Dec(report.stopPrice);
      break;
    case 'statusReport':
      if (report.ordStatus === 'rejected') brokerLostOrder(next, before, report, broker, effects);
      settleRequestsFromStatus(next, before, report, broker, effects);
      break;
    case 'expired':
    case 'doneForDay':
    case 'suspended':
    case 'stopped':
      if (report.text !== undefined || report.restatementReason !== undefined) {
        next.text = [report.restatementReason, report.text].filter((t) => t !== undefined).join(': ');
      }
      break;
    default:
      break;
  }
  learnUnseen(next, report, kind, effects, broker);
}

/**
 * The broker answered our status request with "unknown order" (OrdStatus Rejected). An order it
 * never acknowledged it never received; one it had acknowledged it has lost: said as such (an error
 * alert), not as a reject of something the trader just sent.
 */
function brokerLostOrder(next: Mutable<Order>, before: Order, report: ExecutionReportMessage, broker: string, effects: OrderEffect[]): void {
  if (before.working === 'rejected') return;
  const detail = report.text !== undefined ? `: ${report.text}` : '';
  if (before.working === 'pendingNew' && before.cumQty.isZero()) {
    next.text = `${broker} never received this order (its answer to our status request${detail})`;
    effects.push({ kind: 'alert', level: 'warning', code: 'ORDER_NOT_RECEIVED', message: `${broker} never received order ${before.orderId} (status request answered "unknown order"${detail}): nothing was worked` });
    return;
  }
  next.text = `${broker} no longer knows this order (its answer to our status request${detail}): it is not working there; check with the broker`;
  effects.push({
    kind: 'alert',
    level: 'error',
    code: 'ORDER_LOST_BY_BROKER',
    message: `${broker} no longer knows order ${before.orderId} (${before.working}, ${before.cumQty.toFixed()} of ${before.quantity.toFixed()} ${before.instrument.symbol} executed): it is not working at the broker; check with the broker`,
  });
}

/**
 * A fill, once per ExecID (the desk also drops repeated ExecIDs before journaling). Every fill's
 * ExecID is among the order's ExecIDs before this report; `withExecId` kept the same list only if
 * it held this one already: only then are the fills scanned.
 */
function addFill(next: Mutable<Order>, before: Order, report: ExecutionReportMessage): void {
  if (next.execIds === before.execIds && next.fills.some((f) => f.execId === report.execId)) return;
  const quantity = new Dec(report.lastQty ?? '0');
  const price = new Dec(report.lastPx ?? '0');
  const voided = next.voidedExecIds.includes(report.execId);
  next.fills = withFill(next.fills, { execId: report.execId, quantity, price, state: voided ? 'busted' : 'active' });
  if (voided || next.unseen === undefined) return;
  // This fill was part of what a report had told us without the fill itself: it is seen now.
  const quantityLeft = next.unseen.quantity.minus(quantity);
  next.unseen = quantityLeft.greaterThan(0) ? { quantity: quantityLeft, notional: next.unseen.notional.minus(quantity.times(price)) } : undefined;
}

/** A bust ends the referenced fill; a correction ends it and adds the corrected fill in its place. */
function endFill(next: Mutable<Order>, report: ExecutionReportMessage, kind: 'tradeCancel' | 'tradeCorrect', effects: OrderEffect[]): void {
  const ref = report.execRefId;
  const state = kind === 'tradeCancel' ? 'busted' : 'corrected';
  if (ref !== undefined) {
    const target = next.fills.find((f) => f.execId === ref);
    if (target === undefined) next.voidedExecIds = [...next.voidedExecIds, ref];
    else if (target.state === 'active') {
      next.fills = AppendOnlyList.of(next.fills.map((f) => (f === target ? { ...f, state, endedBy: report.execId } : f)));
      effects.push({ kind: 'executionEnded', execId: ref, state, endedBy: report.execId });
    }
  } else {
    effects.push({ kind: 'alert', level: 'error', code: 'TRADE_BUST', message: `${kind} ${report.execId} on ${next.orderId} names no execution (ExecRefID missing): totals taken from the broker` });
  }
  if (kind === 'tradeCorrect' && !next.fills.some((f) => f.execId === report.execId)) {
    next.fills = withFill(next.fills, {
      execId: report.execId,
      quantity: new Dec(report.lastQty ?? '0'),
      price: new Dec(report.lastPx ?? '0'),
      state: 'active',
      ...(ref !== undefined && { corrects: ref }),
    });
  }
  if (ref === undefined) adoptBrokerTotals(next, report);
}

/** Makes the desk's totals equal the report's with a permanent adjustment (restatements, unattributed busts). */
function adoptBrokerTotals(next: Mutable<Order>, report: ExecutionReportMessage): void {
  const { cumQty, notional } = ledgerTotals(next.fills, next.unseen);
  const reportedCum = new Dec(report.cumQty);
  const quantity = reportedCum.minus(cumQty);
  const adjustmentNotional = reportedCum.times(report.avgPx).minus(notional);
  next.adjustment = quantity.isZero() && adjustmentNotional.isZero() ? undefined : { quantity, notional: adjustmentNotional };
}

/**
 * A report that says more was executed than the fills we have seen: the broker knows fills we do not
 * (missed while disconnected, or still in flight behind a sequence gap). Kept as "unseen" quantity at
 * the broker's average, so the desk shows the broker's CumQty; real fills consume it as they arrive.
 */
function learnUnseen(next: Mutable<Order>, report: ExecutionReportMessage, kind: OrderEventKind, effects: OrderEffect[], broker: string): void {
  if (kind === 'tradeCancel' || kind === 'tradeCorrect' || kind === 'rejected') return;
  // A fill whose bust already arrived carries a CumQty from before the bust: stale.
  if (kind === 'trade' && next.voidedExecIds.includes(report.execId)) return;
  if (kind === 'restated' && report.restatementReason !== undefined && /corporate action/i.test(report.restatementReason)) {
    // A corporate action restates the executed quantity and price themselves (H.1.b): the broker's totals stand.
    adoptBrokerTotals(next, report);
    return;
  }
  const { cumQty, notional } = ledgerTotals(next.fills, undefined, next.adjustment);
  const reportedCum = new Dec(report.cumQty);
  const known = cumQty.plus(next.unseen?.quantity ?? ZERO);
  if (reportedCum.lessThanOrEqualTo(known)) return;
  const knownNotional = notional.plus(next.unseen?.notional ?? ZERO);
  next.unseen = { quantity: reportedCum.minus(cumQty), notional: reportedCum.times(report.avgPx).minus(notional) };
  if (kind !== 'statusReport') return; // a report behind a sequence gap: the fills themselves are on their way
  // Fills missed while away, learned from a status report: one reconciled execution row for the increase.
  const quantity = reportedCum.minus(known);
  const price = reportedCum.times(report.avgPx).minus(knownNotional).dividedBy(quantity).toDecimalPlaces(AVG_PX_DECIMALS, Dec.ROUND_HALF_EVEN);
  effects.push({ kind: 'execution', report, broker, reconciled: { quantity, price } });
}

function applyReplaced(next: Mutable<Order>, before: Order, report: ExecutionReportMessage): void {
  const index = before.requests.findIndex((r) => r.clOrdId === report.clOrdId);
  const request = index >= 0 ? before.requests[index] : undefined;
  // The confirmed request and any earlier one in the chain are answered; later ones stay (D.2.b step 8).
  if (index >= 0) setRequests(next, before.requests.slice(index + 1));
  if (!isLaterInChain(before, report.clOrdId)) return; // stale: a later replace is already confirmed
  if (report.orderQty !== undefined) next.quantity = new Dec(report.orderQty);
  else if (request?.quantity !== undefined) next.quantity = request.quantity;
  const limit = report.limitPrice ?? request?.limitPrice?.toFixed();
  const stop = report.stopPrice ?? request?.stopPrice?.toFixed();
  if (limit !== undefined) next.limitPrice = new Dec(limit);
  if (stop !== undefined) next.stopPrice = new Dec(stop);
  next.liveClOrdId = report.clOrdId;
  next.text = undefined;
}

/** True when `clOrdId` is newer in this order's chain than the ClOrdID the broker last confirmed. */
function isLaterInChain(order: Order, clOrdId: string): boolean {
  return order.clOrdIds.indexOf(clOrdId) > order.clOrdIds.indexOf(order.liveClOrdId);
}

/**
 * A status report that shows no pending request at the broker settles ours: a replace the broker
 * carried out (it reports under the new ClOrdID) is applied; one it never received (lost in a crash
 * or a disconnect) is dropped with a note, so the trader can send it again.
 */
function settleRequestsFromStatus(next: Mutable<Order>, before: Order, report: ExecutionReportMessage, broker: string, effects: OrderEffect[]): void {
  if (before.requests.length === 0 || report.ordStatus === 'pendingCancel' || report.ordStatus === 'pendingReplace') return;
  const index = before.requests.findIndex((r) => r.clOrdId === report.clOrdId);
  const carriedOut = index >= 0 ? before.requests[index] : undefined;
  if (carriedOut?.kind === 'replace') {
    if (report.orderQty !== undefined) next.quantity = new Dec(report.orderQty);
    if (report.limitPrice !== undefined) next.limitPrice = new Dec(report.limitPrice);
    if (report.stopPrice !== undefined) next.stopPrice = new Dec(report.stopPrice);
  }
  if (carriedOut !== undefined) next.liveClOrdId = report.clOrdId;
  const lost = before.requests.filter((_, i) => i > index);
  if (lost.length > 0 && report.ordStatus !== 'rejected') {
    const what = lost.map((r) => `${r.kind === 'cancel' ? 'cancel' : 'amend'} (${r.clOrdId})`).join(', ');
    next.text = `the broker did not receive our ${what}: send it again if still wanted`;
    effects.push({ kind: 'alert', level: 'warning', code: 'REQUEST_LOST', message: `${broker} did not receive our ${what} for order ${before.orderId} (its status shows none): send it again if still wanted` });
  }
  setRequests(next, []);
}

function resolveTarget(target: Target, next: Order, event: OrderEvent): OrderStatus {
  switch (target) {
    case 'same':
      return next.working;
    case 'byQuantity': {
      const { cumQty } = ledgerTotals(next.fills, next.unseen, next.adjustment);
      if (cumQty.isZero()) return 'new';
      return cumQty.greaterThanOrEqualTo(next.quantity) ? 'filled' : 'partiallyFilled';
    }
    case 'filledElseSame':
      return ledgerTotals(next.fills, next.unseen, next.adjustment).cumQty.greaterThanOrEqualTo(next.quantity) ? 'filled' : next.working;
    case 'stoppedUntilFilled':
      return ledgerTotals(next.fills, next.unseen, next.adjustment).cumQty.greaterThanOrEqualTo(next.quantity) ? 'filled' : 'stopped';
    case 'settledOutcome': {
      if (event.type !== 'orderSettled') return next.working;
      if (event.outcome === 'rejected') return next.working === 'pendingNew' ? 'rejected' : next.working;
      if (event.outcome === 'canceled') return next.working === 'filled' ? 'filled' : 'canceled';
      return next.working === 'pendingNew' ? resolveTarget('byQuantity', next, event) : next.working; // as shown: the broker has it
    }
    case 'reported': {
      const reported = event.type === 'executionReceived' || event.type === 'orderAdopted' ? event.report.ordStatus : next.working;
      if (['pendingCancel', 'pendingReplace', 'new', 'partiallyFilled', 'filled', 'pendingNew'].includes(reported)) {
        if (reported === 'pendingNew' && ledgerTotals(next.fills, next.unseen, next.adjustment).cumQty.isZero()) return 'pendingNew';
        return resolveTarget('byQuantity', next, event);
      }
      return reported;
    }
    default:
      return target;
  }
}

/** CumQty and the notional (Σ qty × px) of the surviving fills, plus any quantity the broker reported that we have not seen. */
export function ledgerTotals(fills: FillList, unseen: Order['unseen'], adjustment?: Order['adjustment']): { readonly cumQty: Dec; readonly notional: Dec } {
  const active = activeTotals(fills);
  if (unseen === undefined && adjustment === undefined) return active; // nearly every order: the fills alone (kept per list)
  return {
    cumQty: active.cumQty.plus(unseen?.quantity ?? ZERO).plus(adjustment?.quantity ?? ZERO),
    notional: active.notional.plus(unseen?.notional ?? ZERO).plus(adjustment?.notional ?? ZERO),
  };
}

/**
 * Totals of the surviving fills, remembered per (immutable) fills array: appending a fill costs one
 * addition instead of a pass over every fill, so an order with thousands of fills (an algo parent,
 * a busy day) stays linear overall. A bust or correction rebuilds the array and is summed afresh.
 */
const activeTotalsCache = new WeakMap<FillList, { readonly cumQty: Dec; readonly notional: Dec }>();

function activeTotals(fills: FillList): { readonly cumQty: Dec; readonly notional: Dec } {
  let totals = activeTotalsCache.get(fills);
  if (totals === undefined) {
    let cumQty = ZERO;
    let notional = ZERO;
    for (const f of fills) {
      if (f.state !== 'active') continue;
      cumQty = cumQty.plus(f.quantity);
      notional = notional.plus(f.quantity.times(f.price));
    }
    totals = { cumQty, notional };
    activeTotalsCache.set(fills, totals);
  }
  return totals;
}

function withFill(fills: FillList, fill: Fill): FillList {
  const next = fills.with(fill);
  const before = activeTotalsCache.get(fills);
  if (before !== undefined) {
    activeTotalsCache.set(
      next,
      fill.state === 'active' ? { cumQty: before.cumQty.plus(fill.quantity), notional: before.notional.plus(fill.quantity.times(fill.price)) } : before,
    );
  }
  return next;
}

/** Quantity-weighted average price, exact when it terminates within AVG_PX_DECIMALS places. */
export function averagePrice(cumQty: Dec, notional: Dec): Dec {
  if (cumQty.isZero()) return ZERO;
  return notional.dividedBy(cumQty).toDecimalPlaces(AVG_PX_DECIMALS, Dec.ROUND_HALF_EVEN);
}

/** CumQty and AvgPx from the ledger; LeavesQty from the order quantity while the order is worked. */
function settleQuantities(next: Mutable<Order>): void {
  const { cumQty, notional } = ledgerTotals(next.fills, next.unseen, next.adjustment);
  next.cumQty = cumQty;
  next.avgPx = averagePrice(cumQty, notional);
  const left = next.quantity.minus(cumQty);
  next.leavesQty = isDone(next) || left.isNegative() ? ZERO : left;
}

/** The desk computes CumQty and AvgPx; the broker's own figures are checked against them. */
/** 10^-places, made once per number of places (asked at every fill). */
function unitInLastPlace(places: number): Dec {
  let ulp = ULPS[places];
  if (ulp === undefined) ULPS[places] = ulp = new Dec(`1e-${places}`);
  return ulp;
}
const ULPS: Dec[] = [];

function checkBrokerTotals(next: Order, report: ExecutionReportMessage, kind: OrderEventKind, effects: OrderEffect[]): void {
  if (kind === 'rejected' || next.unseen !== undefined) return;
  const reportedCum = new Dec(report.cumQty);
  if (!reportedCum.equals(next.cumQty) || reportedCum.isZero()) return; // a stale report (gap) or nothing to compare
  const reportedAvg = new Dec(report.avgPx);
  const ulp = unitInLastPlace(reportedAvg.decimalPlaces()); // one unit in the last place the broker wrote
  if (reportedAvg.minus(next.avgPx).abs().greaterThan(ulp)) {
    effects.push({
      kind: 'alert',
      level: 'warning',
      code: 'AVG_PX_MISMATCH',
      message: `AvgPx mismatch on ${next.orderId}: broker reports ${report.avgPx}, the desk computes ${next.avgPx.toFixed()} from the fills (execution ${report.execId})`,
    });
  }
}

function setRequests(next: Mutable<Order>, requests: readonly PendingRequest[]): void {
  next.requests = requests;
  next.pending = requests.at(-1);
}

/** What the blotter's risk column says: the refusing codes, or the override (who, what, why). */
function riskNote(event: Extract<OrderEvent, { type: 'orderSubmitted' | 'orderDenied' | 'replaceRequested' }>): string | undefined {
  if (event.type === 'orderDenied') {
    if (event.findings === undefined || event.findings.length === 0) return undefined;
    return `${event.code === 'RISK_BLOCKED' ? 'blocked' : 'warned'}: ${event.findings.map((f) => f.code).join(', ')}`;
  }
  const o = event.risk?.overridden;
  return o === undefined ? undefined : `overridden by ${o.by}: ${o.warnings.map((w) => w.code).join(', ')} (${o.reason})`;
}

function createOrder(event: Extract<OrderEvent, { type: 'orderSubmitted' | 'orderDenied' }>): Order {
  const t = event.ticket;
  const quantity = new Dec(t.quantity);
  return {
    orderId: event.orderId,
    broker: t.broker,
    account: t.account,
    instrument: event.instrument,
    tradeDate: event.tradeDate,
    ...(event.settlDate !== undefined && { settlDate: event.settlDate }),
    side: t.side,
    orderType: t.orderType,
    timeInForce: t.timeInForce,
    ...(t.expireDate !== undefined && { expireDate: t.expireDate }),
    quantity,
    ...(t.limitPrice !== undefined && { limitPrice: new Dec(t.limitPrice) }),
    ...(t.stopPrice !== undefined && { stopPrice: new Dec(t.stopPrice) }),
    working: event.type === 'orderSubmitted' ? 'pendingNew' : 'rejected',
    requests: [],
    clOrdId: event.clOrdId,
    liveClOrdId: event.clOrdId,
    clOrdIds: [event.clOrdId],
    fills: AppendOnlyList.empty(),
    voidedExecIds: [],
    execIds: AppendOnlyList.empty(),
    cumQty: ZERO,
    leavesQty: event.type === 'orderSubmitted' ? quantity : ZERO,
    avgPx: ZERO,
    ...(event.type === 'orderDenied' && { text: `desk refused: ${event.reason}` }),
    ...(riskNote(event) !== undefined && { risk: riskNote(event) }),
    overfilled: false,
    ...(event.parentId !== undefined && { parentId: event.parentId }),
    ...(t.brokerAlgo !== undefined && { brokerAlgo: t.brokerAlgo.strategy }),
    createdAt: event.at,
    updatedAt: event.at,
    version: 1,
  };
}

/**
 * An order as its events leave it, folded one by one (undefined when none created it): an order of
 * an earlier day, read back from the journal. Events of other orders are passed over.
 */
export function foldOrder(orderId: string, events: Iterable<DeskEvent>): Order | undefined {
  let order: Order | undefined;
  for (const event of events) {
    if (!isOrderEvent(event) || event.orderId !== orderId) continue;
    const result = applyOrderEvent(order, event);
    if (result.ok) order = result.order;
    // An execution report the order refused is still its: a resend of it is not applied again.
    else if (order !== undefined && event.type === 'executionReceived') order = { ...order, execIds: withExecId(order.execIds, event.report.execId) };
  }
  return order;
}

export { withExecId };

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
    case 'orderAdopted':
      return 'adopted';
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
    case 'brokerRejectReceived':
      return event.reject.rejected === 'newOrder' ? 'newOrderRefused' : event.reject.rejected === 'statusRequest' ? 'statusRefused' : 'requestRefused';
    case 'requestTimedOut':
      return event.request === 'status' ? 'statusTimedOut' : 'requestTimedOut';
    case 'orderSettled':
      return 'settled';
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
