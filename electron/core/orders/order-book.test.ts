import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent } from '../journal/desk-events';
import { BlockWriter } from '../journal/snapshot-codec';
import type { Order } from './order';
import { OrderBook, ORDER_BOOK_VERSION } from './order-book';
import { deskEvents } from './random-events.test-support';
import { aaplTerms } from './order-terms.test-support';
import { limitTicket } from './test-support';

/** A book over a stream of events numbered 1, 2, …, which it reads orders of earlier days back from. */
function book(events: DeskEvent[]): { book: OrderBook; fold(e: DeskEvent): void } {
  const b = new OrderBook((orderId, beforeSeq) => events.slice(0, beforeSeq - 1).filter((e) => 'orderId' in e && e.orderId === orderId));
  return {
    book: b,
    fold(e) {
      events.push(e);
      b.apply(e, events.length);
    },
  };
}

let ms = Date.UTC(2026, 11, 7, 9);
const at = () => new Date((ms += 1_000)).toISOString();

function submitted(orderId: string, timeInForce: 'day' | 'gtc' = 'day'): DeskEvent {
  return { type: 'orderSubmitted', at: at(), orderId, clOrdId: orderId, ticket: { ...limitTicket, timeInForce }, ...aaplTerms };
}

function report(orderId: string, execId: string, execType: ExecutionReportMessage['execType'], ordStatus: ExecutionReportMessage['ordStatus'], extra: Partial<ExecutionReportMessage> = {}): DeskEvent {
  return {
    type: 'executionReceived',
    at: at(),
    orderId,
    broker: 'SIM-A',
    report: { type: 'executionReport', execId, execType, ordStatus, clOrdId: orderId, brokerOrderId: `B-${orderId}`, cumQty: '0', leavesQty: '100', avgPx: '0', possDup: false, seqNum: 1, raw: '8=FIX.4.4|35=8|', ...extra },
  };
}

const filled = (orderId: string) => report(orderId, `F-${orderId}`, 'trade', 'filled', { lastQty: '100', lastPx: '150', cumQty: '100', leavesQty: '0', avgPx: '150' });

describe('the order book: today’s work', () => {
  it('a new trading day takes the orders finished before it out, keeps the working ones, and starts the rows afresh', () => {
    const { book: b, fold } = book([]);
    for (const id of ['DONE-1', 'WORKING-1', 'GTC-1']) fold(submitted(id, id === 'GTC-1' ? 'gtc' : 'day'));
    for (const id of ['DONE-1', 'WORKING-1', 'GTC-1']) fold(report(id, `A-${id}`, 'new', 'new'));
    fold(filled('DONE-1'));
    fold(report('GTC-1', 'D-GTC-1', 'doneForDay', 'doneForDay')); // a GT order's done for day: it comes back tomorrow
    fold({ type: 'cancelRequested', at: at(), orderId: 'WORKING-1', clOrdId: 'WORKING-1-c', origClOrdId: 'WORKING-1' });
    expect(b.view.executions()).toHaveLength(1);

    const change = b.apply({ type: 'dayStarted', at: at(), day: '2026-12-08' }, 99);
    expect(change.rolledOff).toBe(1);
    expect([...b.view.allOrders()].map((o) => o.orderId)).toEqual(['WORKING-1', 'GTC-1']);
    expect(b.view.executions()).toEqual([]);
    expect(b.view.orderIdForClOrdId('DONE-1')).toBeUndefined();
    expect(b.view.orderIdForBrokerOrderId('SIM-A', 'B-DONE-1')).toBeUndefined();
    expect(b.view.orderIdForClOrdId('WORKING-1-c')).toBe('WORKING-1'); // a carried order keeps every ClOrdID of its chain
    expect(b.view.orderIdForBrokerOrderId('SIM-A', 'B-GTC-1')).toBe('GTC-1');
  });

  it('takes back an order of an earlier day that a broker message names again (a bust the next morning), as if it had never left', () => {
    const events: DeskEvent[] = [];
    const { book: rolled, fold } = book(events);
    fold(submitted('O-1'));
    fold(report('O-1', 'A-1', 'new', 'new'));
    fold(filled('O-1'));
    fold({ type: 'dayStarted', at: at(), day: '2026-12-08' });
    expect(rolled.view.get('O-1')).toBeUndefined();
    const bust = report('O-1', 'BUST-1', 'tradeCancel', 'new', { execRefId: 'F-O-1', cumQty: '0', leavesQty: '100' });
    fold(bust);

    const { book: never } = book([]);
    events.filter((e) => e.type !== 'dayStarted').forEach((e, i) => never.apply(e, i + 1));
    expect(rolled.view.get('O-1')).toEqual(never.view.get('O-1'));
    expect(rolled.view.get('O-1')).toMatchObject({ working: 'new', cumQty: expect.objectContaining({}) });
    expect((rolled.view.get('O-1') as Order).fills.map((f) => f.state)).toEqual(['busted']);
    expect(rolled.view.hasExecution('SIM-A', 'F-O-1', 'O-1')).toBe(true); // yesterday's ExecIDs came back with it
    expect(rolled.view.executions().map((r) => r.execId)).toEqual(['BUST-1']); // today's row only
  });

  it('keeps the newest rows only (the executions blotter’s), however many fills a day brings', () => {
    const b = new OrderBook(undefined, 3);
    const events: DeskEvent[] = [submitted('O-1')];
    for (let i = 1; i <= 5; i++) events.push(report('O-1', `F${i}`, 'trade', 'partiallyFilled', { lastQty: '1', lastPx: '1', cumQty: String(i), leavesQty: String(100 - i), avgPx: '1' }));
    events.push(report('O-1', 'BUST-1', 'tradeCancel', 'partiallyFilled', { execRefId: 'F1', cumQty: '4' })); // its row is gone: nothing to end
    events.push(report('O-1', 'BUST-5', 'tradeCancel', 'partiallyFilled', { execRefId: 'F5', cumQty: '3' }));
    events.forEach((e, i) => b.apply(e, i + 1));
    expect(b.view.executions().map((r) => [r.execId, r.state])).toEqual([
      ['F5', 'busted'],
      ['BUST-1', 'active'],
      ['BUST-5', 'active'],
    ]);
    expect(b.capture().rows).toEqual(b.view.executions());
  });

  it('the random streams reach the cases the snapshot has to carry (so the differential tests can fail)', () => {
    const seen = { claims: 0, reconciled: 0, ended: 0, reusedRow: 0, rolledOff: 0, recalled: 0, uncertain: 0, adopted: 0, execIdsBeyondFills: 0, negativeZero: 0 };
    for (const events of fc.sample(deskEvents(60, 150), { seed: 7, numRuns: 150 })) {
      const { book: b, fold } = book([]);
      let rolled = new Set<string>();
      for (const e of events) {
        if (e.type !== 'dayStarted' && 'orderId' in e && e.orderId !== undefined && rolled.has(e.orderId) && b.view.get(e.orderId) === undefined) seen.recalled++;
        const before = new Set([...b.view.allOrders()].map((o) => o.orderId));
        fold(e);
        if (e.type === 'dayStarted') {
          rolled = new Set([...before].filter((id) => b.view.get(id) === undefined));
          if (rolled.size > 0) seen.rolledOff++;
        }
      }
      const { orders, rows, claims } = b.capture();
      if (claims.length > 0) seen.claims++;
      if (rows.some((r) => r.reconciled === true)) seen.reconciled++;
      if (rows.some((r) => r.state !== 'active')) seen.ended++;
      if (rows.some((r) => r.execKey.endsWith(`:${r.orderId}`))) seen.reusedRow++;
      if (orders.some((o) => o.uncertain !== undefined)) seen.uncertain++;
      if (orders.some((o) => o.adopted === true)) seen.adopted++;
      if (orders.some((o) => o.execIds.some((id) => !o.fills.some((f) => f.execId === id)))) seen.execIdsBeyondFills++;
      if (orders.some((o) => o.fills.some((f) => f.price.isNegative() && f.price.isZero()))) seen.negativeZero++;
    }
    for (const [what, count] of Object.entries(seen)) expect([what, count > 0]).toEqual([what, true]);
  });

  it('pins the fold: a change to what it builds or how it is encoded must bump ORDER_BOOK_VERSION', () => {
    const [events] = fc.sample(deskEvents(300, 300), { seed: 20261207, numRuns: 1 });
    const { book: b, fold } = book([]);
    for (const e of events as DeskEvent[]) fold(e);
    const hash = createHash('sha256');
    for (const [name, entries] of Object.entries(b.capture()) as Array<[keyof OrderBook['parts'], readonly unknown[]]>) {
      const codec = b.parts[name] as { write(entry: unknown, w: BlockWriter): void };
      const w = new BlockWriter();
      for (const entry of entries) codec.write(entry, w);
      hash.update(name).update(w.finish());
    }
    // If this fails after a deliberate change to order.ts, order-state-table.ts, OrderBook or its
    // codec (order-codec.ts): bump ORDER_BOOK_VERSION (old snapshots are then ignored: one full
    // replay) and record the new fingerprint here (also after changing random-events.test-support.ts,
    // which makes the events). If the change was not deliberate, it is a bug.
    expect({ version: ORDER_BOOK_VERSION, fingerprint: hash.digest('hex').slice(0, 16) }).toEqual({ version: 4, fingerprint: 'b3425a7df9b1b83c' });
  });
});
