import type { OrderStatus } from '../../../shared/domain/order-types';

/**
 * THE ORDER STATE TABLE: (working status, event) → working status. Read this first.
 *
 * The working status is what the order is at the broker, leaving aside a cancel or replace we have
 * asked for and not had answered; that request is an overlay (see displayedStatus). Every pair
 * not listed is illegal: the event is journaled (it happened) but changes nothing and raises an
 * alert.
 *
 * Targets other than a status:
 *   'byQuantity' — new / partiallyFilled / filled from CumQty against OrderQty
 *   'reported'   — the OrdStatus the broker reported (status reports, restatements)
 *   'same'       — unchanged
 */
export type OrderEventKind =
  | 'submitted' // desk: journaled, NewOrderSingle going out
  | 'denied' // desk: refused before sending
  | 'sendFailed' // desk: could not hand the NewOrderSingle to the session
  | 'requestNotSent' // desk: could not hand a cancel or replace to the session
  | 'cancelRequested' // desk: OrderCancelRequest going out
  | 'replaceRequested' // desk: OrderCancelReplaceRequest going out
  | 'pendingNew' // ER 150=A
  | 'accepted' // ER 150=0
  | 'trade' // ER 150=F (or 1/2 in FIX 4.2)
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
  | 'restated' // ER 150=D
  | 'statusReport' // ER 150=I
  | 'tradeCancel' // ER 150=H
  | 'tradeCorrect'; // ER 150=G

export type Target = OrderStatus | 'byQuantity' | 'reported' | 'same';

type Row = readonly [from: OrderStatus | 'none', event: OrderEventKind, to: Target];

/** Statuses in which the order is working at the broker (or on its way there). */
const LIVE = ['pendingNew', 'new', 'partiallyFilled', 'suspended', 'stopped'] as const;

const ROWS: readonly Row[] = [
  ['none', 'submitted', 'pendingNew'],
  ['none', 'denied', 'rejected'],
  ['pendingNew', 'sendFailed', 'rejected'], // nothing reached the broker
  ['pendingNew', 'pendingNew', 'pendingNew'],
  ['pendingNew', 'accepted', 'new'],
  ['pendingNew', 'rejected', 'rejected'],
  // A cancel or replace we could not send leaves the order as it was.
  ...LIVE.map((s): Row => [s, 'requestNotSent', 'same']),
  ...LIVE.flatMap((s): Row[] => [
    [s, 'cancelRequested', 'same'], // the overlay shows pendingCancel
    [s, 'replaceRequested', 'same'],
    [s, 'pendingCancel', 'same'],
    [s, 'pendingReplace', 'same'],
    [s, 'cancelRejected', 'same'], // the overlay is removed: the order is as it was
    [s, 'trade', 'byQuantity'], // pendingNew → filled: a fill may arrive before the ack
    [s, 'replaced', 'byQuantity'], // the new quantity may already be filled
    [s, 'canceled', 'canceled'], // solicited, or unsolicited by the broker
    [s, 'expired', 'expired'],
    [s, 'doneForDay', 'doneForDay'],
    [s, 'suspended', 'suspended'],
    [s, 'stopped', 'stopped'],
    [s, 'restated', 'reported'],
    [s, 'statusReport', 'reported'],
    [s, 'tradeCancel', 'byQuantity'],
    [s, 'tradeCorrect', 'byQuantity'],
  ]),
  ['suspended', 'accepted', 'byQuantity'], // resumed after a halt
  ['new', 'accepted', 'same'], // a repeated ack
  ['partiallyFilled', 'accepted', 'same'],
  // Done orders: late messages that are still legal.
  ['filled', 'cancelRejected', 'same'], // our cancel crossed the last fill: too late to cancel
  ['filled', 'pendingCancel', 'same'],
  ['filled', 'pendingReplace', 'same'],
  ['filled', 'trade', 'filled'], // an overfill: kept, flagged loudly (see order.ts)
  ['filled', 'tradeCancel', 'byQuantity'], // a bust reopens a filled order
  ['filled', 'tradeCorrect', 'byQuantity'],
  ['filled', 'statusReport', 'reported'],
  ['filled', 'restated', 'reported'],
  ['canceled', 'trade', 'canceled'], // a fill can cross a cancel on the wire
  ['canceled', 'cancelRejected', 'same'],
  ['canceled', 'tradeCancel', 'canceled'],
  ['canceled', 'tradeCorrect', 'canceled'],
  ['canceled', 'statusReport', 'reported'],
  ['expired', 'trade', 'expired'],
  ['expired', 'cancelRejected', 'same'],
  ['expired', 'statusReport', 'reported'],
  ['doneForDay', 'cancelRejected', 'same'],
  ['doneForDay', 'statusReport', 'reported'],
  ['doneForDay', 'accepted', 'byQuantity'], // a GT order live again the next day
  ['doneForDay', 'trade', 'byQuantity'],
  ['rejected', 'rejected', 'same'], // a repeated reject
  ['rejected', 'statusReport', 'rejected'], // the broker never had it: stays rejected
];

const TABLE: ReadonlyMap<string, Target> = new Map(ROWS.map(([from, event, to]) => [key(from, event), to]));

if (TABLE.size !== ROWS.length) throw new Error('order state table has a duplicate (status, event) row');

export function transition(from: OrderStatus | 'none', event: OrderEventKind): Target | undefined {
  return TABLE.get(key(from, event));
}

export function allTransitions(): readonly Row[] {
  return ROWS;
}

function key(from: OrderStatus | 'none', event: OrderEventKind): string {
  return `${from}|${event}`;
}
