import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../journal/desk-events';
import type { Order } from './order';
import { applyOrderEvent, displayedStatus, nextOrigClOrdId, requestRefusal } from './order';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import { aaplTerms } from './order-terms.test-support';
import { limitTicket, report } from './test-support';
import { allTransitions } from './order-state-table';
import { orderView } from './order-views';

const at = '2026-11-27T10:00:00.000Z';

function run(events: OrderEvent[]): { order: Order; alerts: string[] } {
  let order: Order | undefined;
  const alerts: string[] = [];
  for (const e of events) {
    const r = applyOrderEvent(order, e);
    if (!r.ok) throw new Error(r.reason);
    order = r.order;
    for (const effect of r.effects) if (effect.kind === 'alert') alerts.push(effect.message);
  }
  if (order === undefined) throw new Error('no order');
  return { order, alerts };
}

const submitted: OrderEvent = { type: 'orderSubmitted', at, orderId: 'K1-1', clOrdId: 'K1-1', ticket: limitTicket, ...aaplTerms };
const er = (r: Parameters<typeof report>[0]): OrderEvent => ({ type: 'executionReceived', at, orderId: 'K1-1', broker: 'SIM-A', report: report(r) });
const acked = er({ execType: 'new', ordStatus: 'new', clOrdId: 'K1-1', leavesQty: '100', brokerOrderId: 'B1' });

describe('order lifecycle', () => {
  it('goes pending new → new → partially filled → filled with the broker quantities', () => {
    const { order: pending } = run([submitted]);
    expect(displayedStatus(pending)).toBe('pendingNew');
    expect(pending.leavesQty.toFixed()).toBe('100');

    const { order: partial } = run([
      submitted,
      acked,
      er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', lastQty: '40', lastPx: '150.1', cumQty: '40', leavesQty: '60', avgPx: '150.1' }),
    ]);
    expect(displayedStatus(partial)).toBe('partiallyFilled');
    expect(partial.brokerOrderId).toBe('B1');

    const { order: filled } = run([
      submitted,
      acked,
      er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', lastQty: '40', lastPx: '0.1', cumQty: '40', leavesQty: '60', avgPx: '0.1' }),
      er({ execType: 'trade', ordStatus: 'filled', clOrdId: 'K1-1', lastQty: '60', lastPx: '0.2', cumQty: '100', leavesQty: '0', avgPx: '0.16' }),
    ]);
    expect(displayedStatus(filled)).toBe('filled');
    expect(filled.avgPx.toFixed()).toBe('0.16');
    expect(filled.leavesQty.toFixed()).toBe('0');
  });

  it('a trade whose ExecID it already holds adds no second fill (also among twenty fills)', () => {
    const fill = (n: number) => er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', execId: `X${n}`, lastQty: '1', lastPx: '150', cumQty: String(n), leavesQty: String(100 - n), avgPx: '150' });
    const fills = Array.from({ length: 20 }, (_, i) => fill(i + 1));
    const { order } = run([submitted, acked, ...fills, fill(7), fill(20)]);
    expect(order.fills.map((f) => f.execId)).toEqual(fills.map((_, i) => `X${i + 1}`));
    expect(order.fills.filter((f) => f.state === 'active')).toHaveLength(20);
  });

  it('shows a pending cancel, then canceled once the broker confirms', () => {
    const cancel: OrderEvent = { type: 'cancelRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1' };
    const { order: pending } = run([submitted, acked, cancel]);
    expect(displayedStatus(pending)).toBe('pendingCancel');
    expect(pending.clOrdId).toBe('K1-2');
    expect(pending.liveClOrdId).toBe('K1-1');
    const { order: done, alerts } = run([
      submitted,
      acked,
      cancel,
      er({ execType: 'pendingCancel', ordStatus: 'pendingCancel', clOrdId: 'K1-2', origClOrdId: 'K1-1', leavesQty: '100' }),
      er({ execType: 'canceled', ordStatus: 'canceled', clOrdId: 'K1-2', origClOrdId: 'K1-1' }),
    ]);
    expect(displayedStatus(done)).toBe('canceled');
    expect(done.pending).toBeUndefined();
    expect(alerts).toEqual([]);
  });

  it('applies a replace: new quantity and price, the new ClOrdID becomes live', () => {
    const replace: OrderEvent = { type: 'replaceRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1', quantity: '200', limitPrice: '151' };
    const { order: pending } = run([submitted, acked, replace]);
    expect(displayedStatus(pending)).toBe('pendingReplace');
    const { order } = run([
      submitted,
      acked,
      replace,
      er({ execType: 'replaced', ordStatus: 'new', clOrdId: 'K1-2', origClOrdId: 'K1-1', orderQty: '200', limitPrice: '151', leavesQty: '200' }),
    ]);
    expect(displayedStatus(order)).toBe('new');
    expect(order.quantity.toFixed()).toBe('200');
    expect(order.limitPrice?.toFixed()).toBe('151');
    expect(order.liveClOrdId).toBe('K1-2');
    expect(order.clOrdIds).toEqual(['K1-1', 'K1-2']);
  });

  it('restores the previous status when a cancel is rejected, keeping fills that crossed it', () => {
    const { order } = run([
      submitted,
      acked,
      { type: 'cancelRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1' },
      er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', lastQty: '10', lastPx: '150', cumQty: '10', leavesQty: '90', avgPx: '150' }),
      {
        type: 'cancelRejectReceived',
        at,
        orderId: 'K1-1',
        broker: 'SIM-A',
        reject: { type: 'cancelReject', clOrdId: 'K1-2', origClOrdId: 'K1-1', responseTo: 'cancel', text: 'broker busy', possDup: false, seqNum: 9, raw: '' },
      },
    ]);
    expect(displayedStatus(order)).toBe('partiallyFilled');
    expect(order.cumQty.toFixed()).toBe('10');
    expect(order.text).toContain('broker busy');
  });

  it('a fill crossing a pending cancel keeps the cancel visible until the order is done', () => {
    const cancel: OrderEvent = { type: 'cancelRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1' };
    const partial = er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', lastQty: '10', lastPx: '150', cumQty: '10', leavesQty: '90', avgPx: '150' });
    expect(displayedStatus(run([submitted, acked, cancel, partial]).order)).toBe('pendingCancel');
    const full = er({ execType: 'trade', ordStatus: 'filled', clOrdId: 'K1-1', lastQty: '90', lastPx: '150', cumQty: '100', leavesQty: '0', avgPx: '150' });
    expect(displayedStatus(run([submitted, acked, cancel, partial, full]).order)).toBe('filled');
  });

  it('raises an alert on an unsolicited cancel and on an overfill, and keeps the overfill', () => {
    expect(run([submitted, acked, er({ execType: 'canceled', ordStatus: 'canceled', clOrdId: 'K1-1', text: 'halted' })]).alerts[0]).toMatch(/unsolicited cancel.*halted/);
    const { order, alerts } = run([
      submitted,
      acked,
      er({ execType: 'trade', ordStatus: 'filled', clOrdId: 'K1-1', lastQty: '100', lastPx: '1', cumQty: '100', leavesQty: '0', avgPx: '1' }),
      er({ execType: 'trade', ordStatus: 'filled', clOrdId: 'K1-1', lastQty: '5', lastPx: '1', cumQty: '105', leavesQty: '0', avgPx: '1' }),
    ]);
    expect(order.cumQty.toFixed()).toBe('105');
    expect(order.overfilled).toBe(true);
    expect(alerts.some((a) => a.startsWith('OVERFILL'))).toBe(true);
  });

  it('keeps fractional quantities exact (FX amounts)', () => {
    const fx: OrderEvent = { ...submitted, ticket: { ...limitTicket, instrumentId: 'EURUSD.SPOT', quantity: '1000000.5', limitPrice: '1.08345' }, instrument: shippedInstrument('EURUSD.SPOT'), settlDate: '2026-03-04' } as OrderEvent;
    const { order } = run([
      fx,
      er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', lastQty: '0.1', lastPx: '1.0834', cumQty: '0.1', leavesQty: '1000000.4', avgPx: '1.0834' }),
    ]);
    expect(order.leavesQty.toFixed()).toBe('1000000.4');
    expect(order.cumQty.plus(order.leavesQty).toFixed()).toBe('1000000.5');
  });

  it('tells the screens how to value it: the multiplier, % of par, pence in pounds; nothing for a plain equity', () => {
    const view = (id: string) => {
      const event = { ...submitted, ticket: { ...limitTicket, instrumentId: id }, instrument: shippedInstrument(id) } as OrderEvent;
      const v = orderView(run([event]).order);
      return { valueFactor: v.valueFactor, valueCurrency: v.valueCurrency };
    };
    expect(view('ESZ6.XCME')).toEqual({ valueFactor: '50', valueCurrency: undefined });
    expect(view('UST.4.25.2034')).toEqual({ valueFactor: '0.01', valueCurrency: undefined });
    expect(view('VOD.XLON')).toEqual({ valueFactor: '0.01', valueCurrency: 'GBP' });
    expect(view('AAPL.XNAS')).toEqual({ valueFactor: undefined, valueCurrency: undefined });
  });

  it('refuses what the table does not allow, changing nothing', () => {
    const rejected = run([submitted, er({ execType: 'rejected', ordStatus: 'rejected', clOrdId: 'K1-1', text: 'unknown symbol' })]).order;
    expect(rejected.text).toBe('unknown symbol');
    const fill = er({ execType: 'trade', ordStatus: 'filled', clOrdId: 'K1-1', lastQty: '1', lastPx: '1', cumQty: '1', leavesQty: '0', avgPx: '1' });
    const result = applyOrderEvent(rejected, fill);
    expect(result.ok).toBe(false);
    expect(applyOrderEvent(undefined, acked).ok).toBe(false);
  });

  it('marks an order the broker never received as rejected after a status report', () => {
    const { order } = run([submitted, er({ execType: 'orderStatus', ordStatus: 'rejected', clOrdId: 'K1-1', text: 'unknown order' })]);
    expect(displayedStatus(order)).toBe('rejected');
    expect(order.text).toMatch(/never received this order/);
  });
});

describe('status reports after a reconnect', () => {
  const cancel: OrderEvent = { type: 'cancelRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1' };
  const replace: OrderEvent = { type: 'replaceRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1', quantity: '200', limitPrice: '151' };

  it('drops a request the broker never received, saying so', () => {
    const { order } = run([submitted, acked, cancel, er({ execType: 'orderStatus', ordStatus: 'new', clOrdId: 'K1-1', leavesQty: '100' })]);
    expect(displayedStatus(order)).toBe('new');
    expect(order.pending).toBeUndefined();
    expect(order.text).toMatch(/did not receive our cancel/);
  });

  it('applies a replace the broker carried out while we were away', () => {
    const { order } = run([
      submitted,
      acked,
      replace,
      er({ execType: 'orderStatus', ordStatus: 'new', clOrdId: 'K1-2', orderQty: '200', limitPrice: '151', leavesQty: '200' }),
    ]);
    expect(displayedStatus(order)).toBe('new');
    expect(order.quantity.toFixed()).toBe('200');
    expect(order.liveClOrdId).toBe('K1-2');
  });

  it('keeps a request the broker reports as still pending', () => {
    const { order } = run([submitted, acked, cancel, er({ execType: 'orderStatus', ordStatus: 'pendingCancel', clOrdId: 'K1-2', leavesQty: '100' })]);
    expect(displayedStatus(order)).toBe('pendingCancel');
  });
});

describe('order state table', () => {
  it('has at most one row per (status, event)', () => {
    const keys = allTransitions().map(([from, event]) => `${from}|${event}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('precedence, chaining, busts', () => {
  const replaceY: OrderEvent = { type: 'replaceRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1', quantity: '80' };
  const fillAll = er({ execType: 'trade', ordStatus: 'filled', clOrdId: 'K1-1', lastQty: '100', lastPx: '10', cumQty: '100', leavesQty: '0', avgPx: '10' });

  it('shows an acknowledged pending cancel over filled (B.1.c), an unacknowledged request not once done (C.2.a)', () => {
    const cancel: OrderEvent = { type: 'cancelRequested', at, orderId: 'K1-1', clOrdId: 'K1-2', origClOrdId: 'K1-1' };
    const pc = er({ execType: 'pendingCancel', ordStatus: 'pendingCancel', clOrdId: 'K1-2', origClOrdId: 'K1-1', leavesQty: '100' });
    expect(displayedStatus(run([submitted, acked, cancel, pc, fillAll]).order)).toBe('pendingCancel');
    expect(displayedStatus(run([submitted, acked, replaceY, fillAll]).order)).toBe('filled');
  });

  it('refuses a second request unless the broker allows chaining; a chained request refers to the previous one (D.2.a)', () => {
    const { order } = run([submitted, acked, replaceY]);
    expect(requestRefusal(order, 'amend', false)).toMatch(/already pending/);
    expect(requestRefusal(order, 'amend', true)).toBeUndefined();
    expect(nextOrigClOrdId(order)).toBe('K1-2');
    expect(requestRefusal(run([submitted, acked, fillAll]).order, 'amend', false)).toBeUndefined(); // C.1.c
    expect(requestRefusal(run([submitted, acked, fillAll]).order, 'cancel', false)).toMatch(/filled/);
  });

  it('recomputes CumQty and AvgPx from surviving fills on a bust and a correction', () => {
    const a = er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', execId: 'A', lastQty: '10', lastPx: '0.1', cumQty: '10', leavesQty: '90', avgPx: '0.1' });
    const b = er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', execId: 'B', lastQty: '20', lastPx: '0.2', cumQty: '30', leavesQty: '70', avgPx: '0.16666667' });
    const { order: both } = run([submitted, acked, a, b]);
    expect([both.cumQty.toFixed(), both.avgPx.toFixed()]).toEqual(['30', '0.166666666667']);
    const bust = er({ execType: 'tradeCancel', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', execRefId: 'A', cumQty: '20', leavesQty: '80', avgPx: '0.2' });
    const { order: busted } = run([submitted, acked, a, b, bust]);
    expect([busted.cumQty.toFixed(), busted.avgPx.toFixed(), busted.leavesQty.toFixed()]).toEqual(['20', '0.2', '80']);
    expect(busted.fills.map((f) => f.state)).toEqual(['busted', 'active']);
    const correct = er({ execType: 'tradeCorrect', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', execId: 'C', execRefId: 'B', lastQty: '20', lastPx: '0.3', cumQty: '20', leavesQty: '80', avgPx: '0.3' });
    expect(run([submitted, acked, a, b, bust, correct]).order.avgPx.toFixed()).toBe('0.3');
  });

  it('warns when the broker AvgPx disagrees with the fills', () => {
    const a = er({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'K1-1', lastQty: '10', lastPx: '1', cumQty: '10', leavesQty: '90', avgPx: '1.5' });
    expect(run([submitted, acked, a]).alerts.some((m) => /AvgPx mismatch/.test(m))).toBe(true);
  });
});
