import { describe, expect, it } from 'vitest';
import type { OrderEvent, OrderRequestReject } from '../journal/desk-events';
import type { Order, OrderEffect } from './order';
import { applyOrderEvent, awaitsAnswer, displayedStatus, markUncertain, nextOrigClOrdId, requestRefusal } from './order';
import { transition } from './order-state-table';
import { aaplTerms } from './order-terms.test-support';
import { limitTicket, report } from './test-support';

/**
 * The order fold for what real brokers' engines answer besides execution reports: session-level
 * Rejects (35=3) and BusinessMessageRejects (35=j) of our requests, requests that get no answer
 * within their timeout, and a person settling an order in doubt.
 */

const at = '2026-12-06T10:00:00.000Z';
const later = '2026-12-06T10:00:30.000Z';

function run(events: readonly OrderEvent[], start?: Order): { order: Order; alerts: Extract<OrderEffect, { kind: 'alert' }>[] } {
  let order = start;
  const alerts: Extract<OrderEffect, { kind: 'alert' }>[] = [];
  for (const e of events) {
    const r = applyOrderEvent(order, e);
    if (!r.ok) throw new Error(r.reason);
    order = r.order;
    for (const effect of r.effects) if (effect.kind === 'alert') alerts.push(effect);
  }
  if (order === undefined) throw new Error('no order');
  return { order, alerts };
}

const submitted: OrderEvent = { type: 'orderSubmitted', at, orderId: 'K1-1', clOrdId: 'K1-1', ticket: { ...limitTicket, orderType: 'market', limitPrice: undefined } as never, ...aaplTerms };
const er = (r: Parameters<typeof report>[0]): OrderEvent => ({ type: 'executionReceived', at, orderId: 'K1-1', broker: 'SIM-A', report: report(r) });
const acked = er({ execType: 'new', ordStatus: 'new', clOrdId: 'K1-1', leavesQty: '100', brokerOrderId: 'B1' });
const cancel: OrderEvent = { type: 'cancelRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1' };
const replace: OrderEvent = { type: 'replaceRequested', at, orderId: 'K1-1', clOrdId: 'K1-3', origClOrdId: 'K1-1', quantity: '200' };

function rejected(what: OrderRequestReject['rejected'], clOrdId: string, level: 'session' | 'business' = 'business'): OrderEvent {
  return {
    type: 'brokerRejectReceived',
    at: later,
    orderId: 'K1-1',
    broker: 'SIM-A',
    reject: {
      type: 'requestReject',
      level,
      rejected: what,
      rejectedMessage: 'NewOrderSingle (35=D)',
      clOrdId,
      ...(level === 'session' ? { refSeqNum: 5, field: 'OrdType (40)', reason: 'Value is incorrect (out of range) for this tag (SessionRejectReason 5)' } : { reason: 'Unsupported message type (BusinessRejectReason 3)' }),
      text: 'not taken here',
      possDup: false,
      seqNum: 9,
      raw: '8=FIX.4.4|35=3|',
    },
  };
}

const timedOut = (request: 'new' | 'cancel' | 'replace' | 'status', clOrdId: string): OrderEvent => ({ type: 'requestTimedOut', at: later, orderId: 'K1-1', broker: 'SIM-A', request, clOrdId, seconds: 30 });

describe('a broker refusing our requests (35=3 / 35=j)', () => {
  it('rejects a new order the broker refused at session level, with the broker\'s reason, and raises an error', () => {
    const { order, alerts } = run([submitted, rejected('newOrder', 'K1-1', 'session')]);
    expect(displayedStatus(order)).toBe('rejected');
    expect(order.leavesQty.toFixed()).toBe('0');
    expect(order.text).toBe('SIM-A rejected the order: OrdType (40): Value is incorrect (out of range) for this tag (SessionRejectReason 5): not taken here');
    expect(alerts).toEqual([
      expect.objectContaining({ level: 'error', code: 'BROKER_REJECT', message: expect.stringMatching(/^SIM-A rejected the new order for order K1-1: OrdType \(40\).*session-level Reject \(35=3\)/) }),
    ]);
  });

  it('changes nothing when the refused NewOrderSingle is of an order the broker had acknowledged (a resend), but says so', () => {
    const { order, alerts } = run([submitted, acked, rejected('newOrder', 'K1-1')]);
    expect(displayedStatus(order)).toBe('new');
    expect(alerts[0]).toMatchObject({ level: 'warning', message: expect.stringMatching(/had already taken the order \(new\): nothing changed/) });
  });

  it('takes a refused cancel as its reject: the order is as it was, and cancellable again', () => {
    const { order, alerts } = run([submitted, acked, cancel, rejected('cancel', 'K1-2')]);
    expect(displayedStatus(order)).toBe('new');
    expect(order.requests).toEqual([]);
    expect(order.text).toMatch(/^cancel rejected by SIM-A: Unsupported message type/);
    expect(alerts[0]).toMatchObject({ level: 'warning', message: expect.stringMatching(/^SIM-A rejected the cancel for order K1-1/) });
    expect(requestRefusal(order, 'cancel', false)).toBeUndefined();
  });

  it('takes a refused amend as its reject: the prior quantity stands and a cancel is allowed again', () => {
    const pending = run([submitted, acked, replace]).order;
    expect(requestRefusal(pending, 'cancel', false)).toBe('an amend is already pending');
    const { order } = run([rejected('replace', 'K1-3')], pending);
    expect(displayedStatus(order)).toBe('new');
    expect(order.quantity.toFixed()).toBe('100');
    expect(requestRefusal(order, 'cancel', false)).toBeUndefined();
    expect(nextOrigClOrdId(order)).toBe('K1-1');
  });

  it('marks a refused status check failed, not the order: an order in doubt stays in doubt, with the broker named', () => {
    const uncertain = markUncertain(run([submitted, acked, cancel]).order, 'the desk restarted', at) as Order;
    const { order, alerts } = run([rejected('statusRequest', 'K1-1')], uncertain);
    expect(displayedStatus(order)).toBe('pendingCancel');
    expect(order.statusCheck).toMatchObject({ failures: 1, lastFailure: expect.stringMatching(/status request refused by SIM-A/) });
    expect(order.uncertain).toMatchObject({ reason: 'the desk restarted', label: 'status refused by SIM-A' });
    expect(alerts[0]).toMatchObject({ level: 'error', code: 'STATUS_CHECK_FAILED' });
    // A routine check of an order not in doubt: one alert about the broker, not about the order.
    const routine = run([submitted, acked, rejected('statusRequest', 'K1-1')]);
    expect(routine.order.uncertain).toBeUndefined();
    expect(routine.alerts[0]).toMatchObject({ level: 'warning', aboutBroker: true });
    // The broker's next status report settles both.
    const settled = run([er({ execType: 'orderStatus', ordStatus: 'new', clOrdId: 'K1-1', leavesQty: '100' })], order).order;
    expect(settled.statusCheck).toBeUndefined();
  });
});

describe('requests with no answer within their timeout', () => {
  it('a new order: in doubt, labelled "no answer from SIM-A", still pending new and cancellable, until any answer', () => {
    const { order, alerts } = run([submitted, timedOut('new', 'K1-1')]);
    expect(displayedStatus(order)).toBe('pendingNew');
    expect(order.newOrderTimedOut).toBe(true);
    expect(order.uncertain).toMatchObject({ label: 'no answer from SIM-A', reason: expect.stringMatching(/new order \(K1-1\) within 30 s/) });
    expect(alerts[0]).toMatchObject({ level: 'warning', code: 'NO_ANSWER', message: expect.stringMatching(/asking for its status/) });
    expect(requestRefusal(order, 'cancel', false)).toBeUndefined();
    const answered = run([acked], order).order;
    expect(answered.uncertain).toBeUndefined();
    expect(answered.newOrderTimedOut).toBeUndefined();
  });

  it('a cancel: still shown pending cancel, in doubt; another cancel is allowed (referring to the live ClOrdID), an amend is not', () => {
    const { order } = run([submitted, acked, cancel, timedOut('cancel', 'K1-2')]);
    expect(displayedStatus(order)).toBe('pendingCancel');
    expect(order.requests[0]?.timedOut).toBe(true);
    expect(requestRefusal(order, 'cancel', false)).toBeUndefined();
    expect(requestRefusal(order, 'amend', true)).toMatch(/no answer/);
    expect(nextOrigClOrdId(order)).toBe('K1-1');
    // The broker answers late: the order is settled by it.
    const done = run([er({ execType: 'canceled', ordStatus: 'canceled', clOrdId: 'K1-2', origClOrdId: 'K1-1' })], order).order;
    expect(displayedStatus(done)).toBe('canceled');
    expect(done.uncertain).toBeUndefined();
  });

  it('a status request: a failed check counted per order', () => {
    const doubt = markUncertain(run([submitted]).order, 'the session dropped', at) as Order;
    const { order } = run([timedOut('status', 'K1-1'), timedOut('status', 'K1-1')], doubt);
    expect(order.statusCheck?.failures).toBe(2);
    expect(order.uncertain?.label).toBe('no answer from SIM-A');
  });

  it('a filled order with an amend unanswered still awaits it (C.1.c): it is asked about and can be in doubt', () => {
    const filled = run([submitted, acked, er({ execType: 'trade', ordStatus: 'filled', clOrdId: 'K1-1', lastQty: '100', lastPx: '1', cumQty: '100', avgPx: '1' }), replace]).order;
    expect(filled.working).toBe('filled');
    expect(awaitsAnswer(filled)).toBe(true);
    expect(markUncertain(filled, 'the desk restarted', at)?.uncertain).toBeDefined();
  });
});

describe('settling an order in doubt by hand', () => {
  const settle = (outcome: 'asShown' | 'canceled' | 'rejected'): OrderEvent => ({ type: 'orderSettled', at: later, orderId: 'K1-1', by: 'jo', outcome, reason: 'phoned the broker: confirmed' });

  it('as shown: the unanswered requests did not happen; a pending new order the broker has is New', () => {
    const doubt = run([submitted, acked, cancel, timedOut('cancel', 'K1-2')]).order;
    const { order, alerts } = run([settle('asShown')], doubt);
    expect(displayedStatus(order)).toBe('new');
    expect(order.requests).toEqual([]);
    expect(order.uncertain).toBeUndefined();
    expect(order.text).toBe('settled by jo (as shown): phoned the broker: confirmed');
    expect(alerts[0]).toMatchObject({ level: 'info', code: 'ORDER_SETTLED' });
    expect(displayedStatus(run([submitted, timedOut('new', 'K1-1'), settle('asShown')]).order)).toBe('new');
  });

  it('canceled, or never received: the order is done', () => {
    expect(displayedStatus(run([submitted, acked, cancel, timedOut('cancel', 'K1-2'), settle('canceled')]).order)).toBe('canceled');
    const never = run([submitted, timedOut('new', 'K1-1'), settle('rejected')]).order;
    expect(displayedStatus(never)).toBe('rejected');
    expect(never.leavesQty.toFixed()).toBe('0');
  });

  it('is in the state table for the statuses where a request can be awaited, and nowhere else', () => {
    for (const s of ['pendingNew', 'new', 'partiallyFilled', 'suspended', 'stopped', 'filled', 'doneForDay'] as const) expect(transition(s, 'settled')).toBe('settledOutcome');
    for (const s of ['canceled', 'rejected', 'expired'] as const) expect(transition(s, 'settled')).toBeUndefined();
    expect(transition('pendingNew', 'newOrderRefused')).toBe('rejected');
    expect(transition('new', 'newOrderRefused')).toBe('same');
    expect(transition('canceled', 'requestRefused')).toBe('same');
    expect(transition('rejected', 'statusRefused')).toBe('same');
    expect(transition('canceled', 'requestTimedOut')).toBeUndefined();
  });
});

describe('an order the broker lost', () => {
  it('reads as lost (an error alert), not as a reject of something just sent', () => {
    const { order, alerts } = run([submitted, acked, er({ execType: 'orderStatus', ordStatus: 'rejected', clOrdId: 'K1-1', text: 'unknown order' })]);
    expect(displayedStatus(order)).toBe('rejected');
    expect(order.text).toMatch(/^SIM-A no longer knows this order/);
    expect(alerts[0]).toMatchObject({ level: 'error', code: 'ORDER_LOST_BY_BROKER' });
  });
});
