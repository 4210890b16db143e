import { describe, expect, it } from 'vitest';
import { OrderBook } from '../orders/order-book';
import { roundTrip } from '../journal/read-model.test-support';
import { limitTicket, report } from '../orders/test-support';
import { aaplTerms } from '../orders/order-terms.test-support';
import type { DeskEvent } from '../journal/desk-events';
import { AlgoParents } from './algo-parents';
import { startedEvent, T0 } from './algo.test-support';

describe('the algo parents read model', () => {
  function fold(events: readonly DeskEvent[]) {
    const book = new OrderBook(() => []);
    const parents = new AlgoParents(book.view);
    events.forEach((e, i) => {
      book.apply(e, i + 1);
      parents.apply(e);
    });
    return { book, parents };
  }
  const events: DeskEvent[] = [
    startedEvent({ quantity: '300' }),
    { type: 'orderSubmitted', at: T0, orderId: 'C1', clOrdId: 'C1', ticket: { ...limitTicket, quantity: '100' }, ...aaplTerms, parentId: 'P1' },
    { type: 'orderSubmitted', at: T0, orderId: 'X', clOrdId: 'X', ticket: limitTicket, ...aaplTerms },
    { type: 'executionReceived', at: T0, orderId: 'C1', broker: 'SIM-A', report: report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'C1', lastQty: '30', lastPx: '150.01', cumQty: '30', leavesQty: '70', avgPx: '150.01' }) },
    { type: 'executionReceived', at: T0, orderId: 'C1', broker: 'SIM-A', report: report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'C1', lastQty: '20', lastPx: '150.02', cumQty: '50', leavesQty: '50', avgPx: '150.014' }) },
  ];

  it('rolls its children up exactly and ignores orders that are not its own', () => {
    const { parents } = fold(events);
    const p = parents.view.get('P1')!;
    expect(p.children.map((c) => c.orderId)).toEqual(['C1']);
    expect([p.cumQty.toString(), p.notional.toString(), p.exposure.toString()]).toEqual(['50', '7500.7', '50']);
    expect(parents.view.parentOf('X')).toBeUndefined();
  });

  it('comes back whole from a snapshot', () => {
    const { book, parents } = fold(events);
    const restored = new AlgoParents(book.view);
    roundTrip(parents, restored);
    expect(restored.view.get('P1')).toEqual(parents.view.get('P1'));
    expect(restored.view.parentOf('C1')).toBe('P1');
  });
});
