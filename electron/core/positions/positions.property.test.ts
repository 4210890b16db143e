import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import { Dec } from '../decimal/decimal';
import type { DeskEvent } from '../journal/desk-events';
import { roundTrip } from '../journal/read-model.test-support';
import type { Holding } from './average-cost';
import { holdingAt, trade } from './average-cost';
import { positionKey } from './position-key';
import { AT, bust, fill, foldPositions, order } from './positions.test-support';

/**
 * Whatever the order of fills and busts: a position is its start of day plus its surviving fills —
 * in quantity exactly, and in cost and realised P&L the average-cost fold of those fills in journal
 * order; and a read model restored from its parts at any point ends where a full fold does.
 */

const ORDERS = [
  { id: 'B1', side: 'buy' as const },
  { id: 'B2', side: 'buy' as const },
  { id: 'S1', side: 'sell' as const },
  { id: 'S2', side: 'sellShort' as const },
];

type Step = { kind: 'fill'; order: number; qty: number; cents: number } | { kind: 'bust'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('fill' as const), order: fc.nat(ORDERS.length - 1), qty: fc.integer({ min: 1, max: 500 }), cents: fc.integer({ min: 1, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bust' as const), pick: fc.nat() }) },
);

function scenario(steps: readonly Step[], start: { quantity: number; cents: number } | undefined) {
  const events: DeskEvent[] = [];
  if (start !== undefined) {
    events.push({ type: 'startOfDayImported', at: AT, by: 'pm', source: 'sod.csv', positions: [{ account: 'FUND-ALPHA', instrument: shippedInstrument('AAPL.XNAS'), quantity: String(start.quantity), price: cents(start.cents) }] });
  }
  for (const o of ORDERS) events.push(order(o.id, 'AAPL.XNAS', o.side, '1000000'));
  const live: Array<{ orderId: string; execId: string; q: Dec; px: string }> = [];
  const surviving = new Map<string, { q: Dec; px: string }>();
  steps.forEach((s, i) => {
    if (s.kind === 'fill') {
      const o = ORDERS[s.order] as (typeof ORDERS)[number];
      const execId = `F${i}`;
      events.push(fill(o.id, execId, String(s.qty), cents(s.cents)));
      const f = { orderId: o.id, execId, q: new Dec(o.side === 'buy' ? s.qty : -s.qty), px: cents(s.cents) };
      live.push(f);
      surviving.set(execId, f);
    } else if (live.length > 0) {
      const [target] = live.splice(s.pick % live.length, 1);
      if (target === undefined) return;
      events.push(bust(target.orderId, `X${i}`, target.execId));
      surviving.delete(target.execId);
    }
  });
  let expected: Holding = start === undefined ? holdingAt(new Dec(0), new Dec(0)) : holdingAt(new Dec(start.quantity), new Dec(cents(start.cents)));
  for (const f of surviving.values()) expected = trade(expected, f.q, f.q.times(f.px));
  return { events, expected };
}

const cents = (c: number) => new Dec(c).dividedBy(100).toFixed();

describe('positions, whatever the order of fills and busts', () => {
  it('= start of day + the surviving fills; restored at any point, the same', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.option(fc.record({ quantity: fc.integer({ min: -1000, max: 1000 }), cents: fc.integer({ min: 1, max: 20_000 }) }), { nil: undefined }), fc.nat(), (steps, start, cut) => {
        const { events, expected } = scenario(steps, start);
        const everything = foldPositions(events);
        const key = positionKey('FUND-ALPHA', 'AAPL.XNAS');
        const p = everything.positions.view.get(key);
        expect(p?.holding.quantity.toFixed() ?? '0').toBe(expected.quantity.toFixed());
        if (p !== undefined) expect([p.holding.cost.toFixed(), p.holding.realised.toFixed()]).toEqual([expected.cost.toFixed(), expected.realised.toFixed()]);
        const k = cut % (events.length + 1);
        const running = foldPositions(events, k);
        const restored = foldPositions(events, 0);
        roundTrip(running.positions, restored.positions);
        roundTrip(running.book, restored.book);
        restored.skipTo(k);
        for (let i = k; i < events.length; i++) restored.more();
        expect(restored.positions.capture()).toEqual(everything.positions.capture());
        expect([...restored.positions.view.all()]).toEqual([...everything.positions.view.all()]);
      }),
      { numRuns: 200 },
    );
  });
});
