import { describe, expect, it } from 'vitest';
import type { Clock } from '../time/clock';
import { TestClock } from '../time/test-clock';
import { silentLogger } from '../log/logger';
import { Dec, ZERO } from '../decimal/decimal';
import type { AlgoParent } from './algo-parent';
import { withChild } from './algo-parent';
import { AlgoScheduler } from './algo-scheduler';
import { iso, parent, T0, t0 } from './algo.test-support';

/** A clock whose timers fire `lateMs` late: the event loop's lateness. */
function late(base: TestClock, lateMs: number): Clock {
  return { now: () => base.now(), setTimeout: (fn, ms) => base.setTimeout(fn, ms + lateMs), clearTimeout: (h) => base.clearTimeout(h) };
}

function harness(p0: AlgoParent, lateMs = 0) {
  const base = new TestClock(T0);
  let p = p0;
  const sends: Array<{ at: number; scheduledAt: number; quantity: string }> = [];
  let n = 0;
  const scheduler = new AlgoScheduler({
    clock: late(base, lateMs),
    log: silentLogger,
    parents: { get: () => p, parentOf: () => undefined, all: () => [p], live: () => [p] },
    market: () => ({ bid: new Dec('99.99'), ask: new Dec('100.01') }),
    brokerUp: () => true,
    act: (parent, actions) => {
      for (const a of actions) {
        if (a.kind !== 'send') continue;
        sends.push({ at: base.now().getTime(), scheduledAt: a.scheduledAt, quantity: a.quantity.toString() });
        // Filled at once: the next slice finds nothing working.
        p = withChild(parent, { orderId: `C${++n}`, quantity: a.quantity, cumQty: a.quantity, notional: a.quantity.times(100), exposure: ZERO, open: false, rejected: false, cancelPending: false, uncertain: false, createdAt: T0 }, base.now().toISOString());
        scheduler.changed(p.parentId);
      }
    },
  });
  return { base, scheduler, sends, parent: () => p };
}

describe('the algo scheduler on the clock', () => {
  it('sends each slice at its absolute time from the start, the last with the rest', () => {
    const h = harness(parent({ quantity: '1000', slices: 10 }));
    h.scheduler.start();
    h.base.advance(10 * 60_000);
    expect(h.sends.map((s) => s.at)).toEqual(Array.from({ length: 10 }, (_, k) => t0 + k * 60_000));
    expect(h.sends.map((s) => s.quantity)).toEqual(Array(10).fill('100'));
    expect(h.parent().status).toBe('completed');
  });

  it('does not drift when its timers fire late: each slice is late by the timer alone, never by the ones before', () => {
    const h = harness(parent({ quantity: '1800', slices: 1_800, endTime: iso(t0 + 30 * 60_000) }), 3);
    h.scheduler.start();
    h.base.advance(31 * 60_000);
    expect(h.sends).toHaveLength(1_800);
    for (const [k, s] of h.sends.entries()) {
      expect(s.scheduledAt).toBe(t0 + k * 1_000);
      expect(s.at - s.scheduledAt).toBeLessThanOrEqual(3);
    }
  });

  it('stops looking at a parent that is no longer live, and on stop', () => {
    const h = harness(parent({ quantity: '1000', slices: 10 }));
    h.scheduler.start();
    h.base.advance(0);
    expect(h.scheduler.armed).toBe(1);
    h.scheduler.stop();
    h.base.advance(10 * 60_000);
    expect(h.sends).toHaveLength(1);
    expect(h.scheduler.armed).toBe(0);
  });
});
