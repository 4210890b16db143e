import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeskEvent } from '../journal/desk-events';
import { roundTrip } from '../journal/read-model.test-support';
import { OpenOrdersByAccount } from './open-orders-by-account';
import { isOpen } from './order';
import { OrderBook } from './order-book';
import { deskEvents } from './random-events.test-support';
import { aaplTerms } from './order-terms.test-support';
import { limitTicket, report } from './test-support';

/** The order book and the read model after it, as the registry folds them. */
function fold(events: readonly DeskEvent[]): { book: OrderBook; open: OpenOrdersByAccount } {
  const book = new OrderBook((orderId, beforeSeq) => events.slice(0, beforeSeq - 1).filter((e) => 'orderId' in e && e.orderId === orderId));
  const open = new OpenOrdersByAccount(book.view);
  events.forEach((e, i) => {
    book.apply(e, i + 1);
    open.apply(e);
  });
  return { book, open };
}

const at = '2026-03-02T14:00:00.000Z';
const submitted = (orderId: string, account: string): DeskEvent => ({ type: 'orderSubmitted', at, orderId, clOrdId: orderId, ticket: { ...limitTicket, account }, ...aaplTerms });
const acked = (orderId: string): DeskEvent => ({
  type: 'executionReceived',
  at,
  orderId,
  broker: 'SIM-A',
  report: report({ execType: 'new', ordStatus: 'new', clOrdId: orderId, cumQty: '0', leavesQty: '100' }),
});
const filled = (orderId: string): DeskEvent => ({
  type: 'executionReceived',
  at,
  orderId,
  broker: 'SIM-A',
  report: report({ execType: 'trade', ordStatus: 'filled', clOrdId: orderId, lastQty: '100', lastPx: '150', cumQty: '100', leavesQty: '0', avgPx: '150' }),
});

describe('open orders per account (a read model folded after the order book)', () => {
  it('lists an account’s open orders, oldest first, until each is done', () => {
    const { open } = fold([submitted('A1', 'FUND-ALPHA'), submitted('B1', 'FUND-BETA'), acked('A1'), submitted('A2', 'FUND-ALPHA'), filled('A1')]);
    expect(open.view.of('FUND-ALPHA')).toEqual(['A2']);
    expect(open.view.of('FUND-BETA')).toEqual(['B1']);
    expect([...open.view.counts()]).toEqual([
      ['FUND-BETA', 1],
      ['FUND-ALPHA', 1],
    ]);
    expect(open.view.of('FUND-GAMMA')).toEqual([]);
  });

  it('is the open orders of the book, whatever the events; through a snapshot and back, the same', () => {
    fc.assert(
      fc.property(deskEvents(1, 150), (events) => {
        const { book, open } = fold(events);
        const expected = new Map<string, string[]>();
        for (const order of book.capture().orders) if (isOpen(order)) expected.set(order.account, [...(expected.get(order.account) ?? []), order.orderId]);
        for (const [account, ids] of expected) expect(new Set(open.view.of(account))).toEqual(new Set(ids));
        expect(new Map([...open.view.counts()])).toEqual(new Map([...expected].map(([account, ids]) => [account, ids.length])));
        const restored = new OpenOrdersByAccount(book.view);
        roundTrip(open, restored);
        expect(restored.capture()).toEqual(open.capture());
      }),
      { numRuns: 100 },
    );
  });
});
