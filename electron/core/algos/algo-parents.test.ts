import { describe, expect, it } from 'vitest';
import { OrderBook } from '../orders/order-book';
import { roundTrip } from '../journal/read-model.test-support';
import { limitTicket, report } from '../orders/test-support';
import { aaplTerms } from '../orders/order-terms.test-support';
import type { DeskEvent } from '../journal/desk-events';
import { Dec } from '../decimal/decimal';
import { withChild } from './algo-parent';
import { algoParentView, AlgoParents } from './algo-parents';
import { child, minutes, parent, startedEvent, T0 } from './algo.test-support';

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

describe("a parent's progress and slippage as the screens show it", () => {
  // Arrival: mid 100, the day's volume 1,000 at a VWAP of 99.5. Filled 200 at an average of 100.10.
  const withFills = (side: 'buy' | 'sell') =>
    withChild(parent({ side, quantity: '400', slices: 4 }, { arrivalPrice: '100', arrivalVolume: '1000', arrivalVwap: '99.5' }), child('C1', '200', '200', '100.10'), T0);
  // Now the day's volume is 3,000 at a VWAP of 99.8: the 2,000 traded since the start averaged 99.95.
  const market = { volume: new Dec('3000'), vwap: new Dec('99.8') };

  it('measures the average price against the arrival price and the interval VWAP, in bps, positive when worse for a buyer', () => {
    const v = algoParentView(withFills('buy'), minutes(5), market);
    expect(v).toMatchObject({ avgPx: '100.1', arrivalPrice: '100', intervalVwap: '99.95', slippageVsArrivalBps: '10', slippageVsVwapBps: '15.01' });
    // Four slices over 10 minutes: three due at 5 (at 0, 2.5 and 5), 300 scheduled, 200 done: 100 behind.
    expect(v).toMatchObject({ scheduledQty: '300', aheadQty: '-100', percentDone: '50' });
  });

  it('turns the sign for a seller (paying up is worse for a buyer, better for a seller)', () => {
    const v = algoParentView(withFills('sell'), minutes(5), market);
    expect(v).toMatchObject({ slippageVsArrivalBps: '-10', slippageVsVwapBps: '-15.01' });
  });

  it('shows no interval VWAP before the market traded since the start, nor slippage before a fill', () => {
    const v = algoParentView(withFills('buy'), minutes(5), { volume: new Dec('1000'), vwap: new Dec('99.5') });
    expect(v.intervalVwap).toBeUndefined();
    expect(v.slippageVsVwapBps).toBeUndefined();
    const none = algoParentView(parent({}, { arrivalPrice: '100' }), minutes(5), market);
    expect(none.slippageVsArrivalBps).toBeUndefined();
    expect(none.avgPx).toBeUndefined();
  });
});
