import type { OrderStatus } from '../../../shared/domain/order-types';

/**
 * THE ORDER STATE TABLE: (working status, event) → working status. Read this first.
 *
 * Reviewed against the FIX order state change matrices (FIX 4.4 Volume 4 Appendix D, groups A–L;
 * FIX Latest "Order State Changes"). References in the comments (B.1.c …) are to those matrices.
 *
 * The working status is what the order is at the broker, leaving aside the cancel or replace
 * requests we have sent and not had answered; those are overlays (see `displayedStatus` in
 * order.ts, which applies the FIX OrdStatus precedence). A rejected request removes its overlay,
 * so the status it came from comes back by construction.
 *
 * Working statuses, one line each:
 *   pendingNew      sent; the broker has not acknowledged it
 *   new             acknowledged, nothing executed
 *   partiallyFilled some executed, the rest working
 *   filled          CumQty reached OrderQty (a replace to a higher quantity may reopen it, C.1.c)
 *   canceled        no longer working (solicited, unsolicited, IOC/FOK kill); fills may still cross
 *   rejected        refused by the broker or by the desk; nothing happened at the broker
 *   expired         time in force ran out (GTD, exchange expiry)
 *   doneForDay      not working today; a day order is finished, a GT order comes back tomorrow (H.1.a)
 *   suspended       held by the broker (trading halt); comes back with a New or a Restated (K)
 *   stopped         the broker guaranteed a price (L.1.a); executions follow
 *
 * Every pair not listed is illegal: the event is journaled (it happened) but changes nothing and
 * raises an alert. Messages can arrive late or out of order (a sequence gap fills after newer
 * messages were applied), so every "stale" pair that the wire can produce is listed as 'same': a
 * late message never moves an order backwards. Quantities are order-independent (see order.ts:
 * CumQty and AvgPx are a fold over the fills ledger, keyed by ExecID).
 *
 * Targets other than a status:
 *   'byQuantity'     new / partiallyFilled / filled from CumQty against OrderQty
 *   'reported'       the OrdStatus the broker reported (status reports, restatements); a reported
 *                    new / partiallyFilled / filled / pending status is taken by quantity instead
 *   'same'           unchanged
 *   'filledElseSame' filled when CumQty reached OrderQty ("filled" outranks "canceled"), else unchanged
 *   'stoppedUntilFilled' stays stopped (precedence 7 over partiallyFilled 4) until fully filled (L.1.a)
 *   'settledOutcome' what the person settling the order found at the broker: as shown (a pending new
 *                    order is taken as acknowledged: by quantity), canceled, or rejected (never received)
 *
 * A broker's session-level Reject (35=3) or BusinessMessageReject (35=j) is not in the matrices (they
 * speak of ExecutionReports and Cancel Rejects), but FIX gives it the same meaning for the message it
 * names: a refused NewOrderSingle never became an order at the broker (as F.1.a's reject), a refused
 * cancel or replace leaves the order as it was (as B.1.a / C.1.a's reject paths), a refused status
 * request tells nothing about the order.
 */
export type OrderEventKind =
  | 'submitted' // desk: journaled, NewOrderSingle going out
  | 'denied' // desk: refused before sending
  | 'adopted' // desk: an order the broker knows and we did not, taken on from its status report
  | 'sendFailed' // desk: could not hand the NewOrderSingle to the session
  | 'requestNotSent' // desk: could not hand a cancel or replace to the session
  | 'cancelRequested' // desk: OrderCancelRequest going out
  | 'replaceRequested' // desk: OrderCancelReplaceRequest going out
  | 'pendingNew' // ER 150=A
  | 'accepted' // ER 150=0
  | 'trade' // ER 150=F (1/2 in FIX 4.2)
  | 'pendingCancel' // ER 150=6
  | 'canceled' // ER 150=4
  | 'pendingReplace' // ER 150=E
  | 'replaced' // ER 150=5
  | 'rejected' // ER 150=8
  | 'cancelRejected' // OrderCancelReject 35=9
  | 'doneForDay' // ER 150=3
  | 'expired' // ER 150=C
  | 'suspended' // ER 150=9
  | 'stopped' // ER 150=7
  | 'restated' // ER 150=D (and 150=B calculated)
  | 'statusReport' // ER 150=I (20=3 in FIX 4.2)
  | 'tradeCancel' // ER 150=H (20=1 in FIX 4.2): a bust, with ExecRefID
  | 'tradeCorrect' // ER 150=G (20=2 in FIX 4.2): a correction, with ExecRefID
  | 'newOrderRefused' // 35=3 / 35=j naming our NewOrderSingle (by RefSeqNum, or BusinessRejectRefID = its ClOrdID)
  | 'requestRefused' // 35=3 / 35=j naming our cancel or cancel/replace: a cancel/replace reject by another message
  | 'statusRefused' // 35=3 / 35=j naming our OrderStatusRequest: the status check failed
  | 'requestTimedOut' // desk: no answer to our new order, cancel or amend within the broker's timeout
  | 'statusTimedOut' // desk: no answer to our status request within the broker's timeout
  | 'settled'; // desk: a person settled an order in doubt, after checking with the broker

export type Target = OrderStatus | 'byQuantity' | 'reported' | 'same' | 'filledElseSame' | 'stoppedUntilFilled' | 'settledOutcome';

type From = OrderStatus | 'none';
type Row = readonly [from: From, event: OrderEventKind, to: Target];

/** Statuses in which the order is working at the broker (or on its way there). */
const LIVE = ['pendingNew', 'new', 'partiallyFilled', 'suspended', 'stopped'] as const;

/** Every status: a refused or unanswered status request changes none. */
const ALL: readonly OrderStatus[] = [...LIVE, 'filled', 'canceled', 'expired', 'doneForDay', 'rejected'];

/** Statuses where a request of ours can still be outstanding: working ones, a filled order with a replace or cancel unanswered (C.1.c, B.1.c), a GT order done for the day. */
const MAY_AWAIT: readonly OrderStatus[] = [...LIVE, 'filled', 'doneForDay'];

/** Acks and confirmations that can arrive after a later message already finished the order. */
const STALE_AFTER_DONE: readonly OrderEventKind[] = ['pendingNew', 'accepted', 'pendingCancel', 'pendingReplace', 'suspended', 'stopped'];

const ROWS: readonly Row[] = [
  ['none', 'submitted', 'pendingNew'],
  ['none', 'denied', 'rejected'],
  ['none', 'adopted', 'reported'], // reconciliation: the broker's OrdStatus, by quantity for the live ones
  ['pendingNew', 'sendFailed', 'rejected'], // nothing reached the broker
  ['pendingNew', 'pendingNew', 'same'],
  ['pendingNew', 'accepted', 'byQuantity'], // A.1.a; by quantity: a fill may have overtaken the ack
  ['pendingNew', 'rejected', 'rejected'], // A.1.a step 2 (reject path), F.1.a
  ['new', 'accepted', 'same'], // a repeated ack (PossResend, F.1.b)
  ['partiallyFilled', 'accepted', 'same'], // stale: the ack arrived after a fill (sequence gap)
  ['suspended', 'accepted', 'byQuantity'], // K: resumed after a halt
  ['stopped', 'accepted', 'same'],
  ...LIVE.flatMap((s): Row[] => [
    [s, 'requestNotSent', 'same'], // a cancel or replace we could not send leaves the order as it was
    [s, 'cancelRequested', 'same'], // the overlay shows pendingCancel (B.1.a, B.1.d: even before the ack)
    [s, 'replaceRequested', 'same'], // the overlay shows pendingReplace (C.1.a; D.2.a chains them)
    [s, 'pendingCancel', 'same'], // the broker acknowledged our cancel: the overlay outranks the working status
    [s, 'pendingReplace', 'same'],
    [s, 'cancelRejected', 'same'], // the overlay is removed: the order is as it was (B.1.a reject path, D.1.c)
    [s, 'trade', s === 'stopped' ? 'stoppedUntilFilled' : 'byQuantity'], // pendingNew → filled: a fill may arrive before the ack
    [s, 'replaced', 'byQuantity'], // C.3.b: the new quantity may already be filled
    [s, 'canceled', 'canceled'], // solicited (B.1.a), unsolicited (E.1.b), IOC/FOK kill (I.1.a, I.1.b), halt (K)
    [s, 'expired', 'expired'],
    [s, 'doneForDay', 'doneForDay'], // A.1.b, H.1.a day 1
    [s, 'suspended', 'suspended'], // K: trading halt
    [s, 'stopped', 'stopped'], // L.1.a
    [s, 'restated', 'reported'], // E.1.c/E.1.d unsolicited replacement, H.1.b corporate action
    [s, 'statusReport', 'reported'], // G.1.c, and reconciliation at logon
    [s, 'tradeCancel', 'byQuantity'], // J.1.a
    [s, 'tradeCorrect', 'byQuantity'],
  ]),

  // filled: done unless a bust reopens it or a replace raises the quantity (C.1.c).
  ['filled', 'trade', 'filled'], // an overfill: kept, flagged loudly (see order.ts)
  ['filled', 'tradeCancel', 'byQuantity'], // J.1.a step 5: a bust reopens a filled order
  ['filled', 'tradeCorrect', 'byQuantity'],
  ['filled', 'cancelRequested', 'same'], // not offered by the desk; listed so a replayed journal never breaks
  ['filled', 'replaceRequested', 'same'], // C.1.c: increase the quantity of a filled order
  ['filled', 'requestNotSent', 'same'],
  ['filled', 'cancelRejected', 'same'], // B.1.c, C.2.a: too late to cancel / replace
  ['filled', 'replaced', 'byQuantity'], // C.1.c: reopened with a higher quantity
  ['filled', 'canceled', 'same'], // "filled" (8) outranks "canceled" (5): a late cancel confirm changes nothing
  ['filled', 'expired', 'same'],
  ['filled', 'doneForDay', 'doneForDay'], // done for day (10) outranks filled (8)
  ['filled', 'statusReport', 'reported'],
  ['filled', 'restated', 'reported'],
  ...STALE_AFTER_DONE.map((e): Row => ['filled', e, 'same']),

  // canceled: fills may still cross the cancel on the wire; busts do not reopen it (J.1.b).
  ['canceled', 'trade', 'filledElseSame'], // J.1.b step 8: a fill after the cancel, status stays canceled
  ['canceled', 'tradeCancel', 'same'], // J.1.b step 7: "canceled" outranks "new"
  ['canceled', 'tradeCorrect', 'same'],
  ['canceled', 'cancelRejected', 'same'], // a chained request rejected after the cancel
  ['canceled', 'canceled', 'same'], // a repeated confirm
  ['canceled', 'replaced', 'same'], // stale: a replace confirmed before the cancel, arriving after it
  ['canceled', 'restated', 'same'],
  ['canceled', 'expired', 'same'],
  ['canceled', 'doneForDay', 'same'],
  ['canceled', 'statusReport', 'reported'],
  ...STALE_AFTER_DONE.map((e): Row => ['canceled', e, 'same']),

  ['expired', 'trade', 'filledElseSame'], // a fill that crossed the expiry
  ['expired', 'tradeCancel', 'same'],
  ['expired', 'tradeCorrect', 'same'],
  ['expired', 'cancelRejected', 'same'],
  ['expired', 'expired', 'same'],
  ['expired', 'statusReport', 'reported'],
  ...STALE_AFTER_DONE.map((e): Row => ['expired', e, 'same']),

  // doneForDay: final for a day order (A.1.b); a GT order is restated or traded the next day (H).
  ['doneForDay', 'accepted', 'byQuantity'], // H: a GT order live again the next day
  ['doneForDay', 'restated', 'reported'], // H.1.a day 2: GT renewal, OrdStatus partiallyFilled
  ['doneForDay', 'trade', 'byQuantity'], // H.1.a day 2 (a day order cannot trade after DFD)
  ['doneForDay', 'tradeCancel', 'same'], // J: done for day (10) outranks the quantity statuses
  ['doneForDay', 'tradeCorrect', 'same'],
  ['doneForDay', 'cancelRequested', 'same'], // a GT order can be canceled overnight
  ['doneForDay', 'replaceRequested', 'same'],
  ['doneForDay', 'requestNotSent', 'same'],
  ['doneForDay', 'pendingCancel', 'same'],
  ['doneForDay', 'pendingReplace', 'same'],
  ['doneForDay', 'cancelRejected', 'same'],
  ['doneForDay', 'replaced', 'byQuantity'],
  ['doneForDay', 'canceled', 'canceled'],
  ['doneForDay', 'expired', 'expired'],
  ['doneForDay', 'doneForDay', 'same'],
  ['doneForDay', 'statusReport', 'reported'],

  ['rejected', 'rejected', 'same'], // a repeated reject
  ['rejected', 'statusReport', 'rejected'], // the broker never had it: stays rejected
  ['rejected', 'cancelRejected', 'same'], // a cancel that crossed the reject (B.1.f for the broker: unknown order)
  ['rejected', 'requestNotSent', 'same'],

  // The broker refused our NewOrderSingle by 35=3 / 35=j: it never took the order (F.1.a's outcome).
  ['pendingNew', 'newOrderRefused', 'rejected'],
  // ...once acknowledged, the refusal is of a resend (PossDup) of an order the broker has: nothing changes (an alert says so).
  ...ALL.filter((s) => s !== 'pendingNew').map((s): Row => [s, 'newOrderRefused', 'same']),
  // A refused cancel or replace is its reject: the overlay goes, the order is as it was (wherever a Cancel Reject may come).
  ...ALL.map((s): Row => [s, 'requestRefused', 'same']),
  // A refused or unanswered status request says nothing about the order: the check is marked failed.
  ...ALL.map((s): Row => [s, 'statusRefused', 'same']),
  ...ALL.map((s): Row => [s, 'statusTimedOut', 'same']),
  // No answer within the timeout: the order is in doubt ("no answer from BROKER") until a status report or a person settles it.
  ...MAY_AWAIT.map((s): Row => [s, 'requestTimedOut', 'same']),
  // Settled by a person: only an order that can still await an answer can be in doubt.
  ...MAY_AWAIT.map((s): Row => [s, 'settled', 'settledOutcome']),
];

const TABLE: ReadonlyMap<string, Target> = new Map(ROWS.map(([from, event, to]) => [key(from, event), to]));

if (TABLE.size !== ROWS.length) throw new Error('order state table has a duplicate (status, event) row');

export function transition(from: From, event: OrderEventKind): Target | undefined {
  return TABLE.get(key(from, event));
}

export function allTransitions(): readonly Row[] {
  return ROWS;
}

/**
 * OrdStatus precedence (FIX 4.4 Vol. 4 / FIX Latest "Order State Changes"): when an order is in
 * several states at once, the one with the highest value is reported. Values as published:
 * Pending Cancel 12, Pending Replace 11, Done for Day 10, Calculated 9, Filled 8, Stopped 7,
 * Suspended 6, Canceled 5, Partially Filled 4, New / Rejected / Pending New 2. Expired is not in the
 * published list; it sits with Canceled (5), which it resembles (no longer working).
 */
export const ORD_STATUS_PRECEDENCE: Readonly<Record<OrderStatus, number>> = {
  pendingCancel: 12,
  pendingReplace: 11,
  doneForDay: 10,
  filled: 8,
  stopped: 7,
  suspended: 6,
  canceled: 5,
  expired: 5,
  partiallyFilled: 4,
  new: 2,
  rejected: 2,
  pendingNew: 2,
};

function key(from: From, event: OrderEventKind): string {
  return `${from}|${event}`;
}
