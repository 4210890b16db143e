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

describe('the algo scheduler with many parents', () => {
  /** Parents spread over one slice interval: each due at its own time; a clock that counts the timers armed. */
  function many(count: number) {
    const base = new TestClock(T0);
    // Timers armed and not yet fired or cleared, and the most at once.
    const live = new Set<number>();
    let mostAtOnce = 0;
    const clock: Clock = {
      now: () => base.now(),
      setTimeout: (fn, ms) => {
        const handle = base.setTimeout(() => {
          live.delete(handle.id);
          fn();
        }, ms);
        live.add(handle.id);
        mostAtOnce = Math.max(mostAtOnce, live.size);
        return handle;
      },
      clearTimeout: (h) => {
        live.delete(h.id);
        base.clearTimeout(h);
      },
    };
    const parents = new Map<string, AlgoParent>();
    for (let i = 0; i < count; i++) {
      const start = t0 + i * 10;
      const p = parent({ quantity: '300', slices: 3, startTime: iso(start), endTime: iso(start + 3 * 60_000) }, { parentId: `P${i}` });
      parents.set(p.parentId, p);
    }
    const sends: Array<{ parentId: string; at: number; scheduledAt: number }> = [];
    const batches: number[] = [];
    const dispatched: Array<{ scheduledAt: number; actual: number }> = [];
    let pendingCommit: Array<() => void> = [];
    let n = 0;
    const scheduler = new AlgoScheduler({
      clock,
      log: silentLogger,
      parents: { get: (id) => parents.get(id), parentOf: () => undefined, all: () => parents.values(), live: () => [...parents.values()] },
      market: () => undefined,
      brokerUp: () => true,
      act: (p, actions) => {
        for (const a of actions) {
          if (a.kind !== 'send') continue;
          sends.push({ parentId: p.parentId, at: base.now().getTime(), scheduledAt: a.scheduledAt });
          parents.set(p.parentId, withChild(p, { orderId: `C${++n}`, quantity: a.quantity, cumQty: a.quantity, notional: a.quantity.times(100), exposure: ZERO, open: false, rejected: false, cancelPending: false, uncertain: false, createdAt: T0 }, base.now().toISOString()));
        }
        // The desk's group commit: the sends go out when the turn's commit is done.
        return new Promise<void>((resolve) => pendingCommit.push(resolve));
      },
      dispatched: (scheduledAt, actual) => dispatched.push({ scheduledAt, actual }),
    });
    const commit = () => {
      batches.push(pendingCommit.length);
      for (const r of pendingCommit) r();
      pendingCommit = [];
    };
    return { base, scheduler, sends, batches, dispatched, commit, mostAtOnce: () => mostAtOnce, parents };
  }

  it('holds one timer for the earliest due parent, not one per parent, and sends each slice on time', () => {
    const h = many(500);
    h.scheduler.start();
    h.base.advance(4 * 60_000);
    expect(h.sends).toHaveLength(1_500);
    for (const s of h.sends) expect(s.at).toBe(s.scheduledAt);
    expect(h.mostAtOnce()).toBe(1);
    expect(h.scheduler.armed).toBe(0);
    expect([...h.parents.values()].every((p) => p.status === 'completed')).toBe(true);
  });

  it('looks at every parent due at the same time in one turn (one commit for all their children)', () => {
    const base = new TestClock(T0);
    const parents = new Map<string, AlgoParent>();
    for (let i = 0; i < 50; i++) parents.set(`Q${i}`, parent({ quantity: '200', slices: 2 }, { parentId: `Q${i}` }));
    const turns: number[] = [];
    let inTurn = 0;
    const scheduler = new AlgoScheduler({
      clock: base,
      log: silentLogger,
      parents: { get: (id) => parents.get(id), parentOf: () => undefined, all: () => parents.values(), live: () => [...parents.values()] },
      market: () => undefined,
      brokerUp: () => true,
      act: (p, actions) => {
        for (const a of actions) {
          if (a.kind !== 'send') continue;
          inTurn++;
          parents.set(p.parentId, withChild(p, { orderId: `${p.parentId}-${inTurn}`, quantity: a.quantity, cumQty: a.quantity, notional: a.quantity.times(100), exposure: ZERO, open: false, rejected: false, cancelPending: false, uncertain: false, createdAt: T0 }, base.now().toISOString()));
        }
      },
    });
    const clockTurn = base.setTimeout.bind(base);
    base.setTimeout = (fn, ms) =>
      clockTurn(() => {
        inTurn = 0;
        fn();
        if (inTurn > 0) turns.push(inTurn);
      }, ms);
    scheduler.start();
    base.advance(11 * 60_000);
    expect(turns).toEqual([50, 50]);
  });

  it("reports a child's dispatch when its commit is done (the send is out), not when it was decided", () => {
    const h = many(3);
    h.scheduler.start();
    h.base.advance(0);
    expect(h.sends).toHaveLength(1);
    expect(h.dispatched).toHaveLength(0);
    h.commit();
    return Promise.resolve().then(() => {
      expect(h.dispatched).toHaveLength(1);
      expect(h.dispatched[0]!.scheduledAt).toBe(t0);
    });
  });
});

describe('the algo scheduler turn by turn', () => {
  it("looks at the parents due alone in their turn: a fold's changes wait for the next one", () => {
    // A clock whose one timer the test fires by hand, at the time it sets.
    let now = t0;
    let armed: { fn: () => void; ms: number } | undefined;
    const clock: Clock = {
      now: () => new Date(now),
      setTimeout: (fn, ms) => {
        armed = { fn, ms };
        return { id: 1 };
      },
      clearTimeout: () => {
        armed = undefined;
      },
    };
    const parents = new Map<string, AlgoParent>([
      ['A', parent({ quantity: '200', slices: 2 }, { parentId: 'A' })],
      ['B', parent({ quantity: '200', slices: 2, startTime: iso(t0 - 60_000) }, { parentId: 'B' })],
    ]);
    const looked: string[][] = [];
    let turn: string[] = [];
    const scheduler = new AlgoScheduler({
      clock,
      log: silentLogger,
      parents: { get: (id) => parents.get(id), parentOf: () => undefined, all: () => parents.values(), live: () => [...parents.values()] },
      market: () => undefined,
      brokerUp: () => true,
      act: () => undefined,
      looked: (p) => turn.push(p.parentId),
    });
    const fire = () => {
      const timer = armed;
      armed = undefined;
      turn = [];
      timer?.fn();
      looked.push(turn);
    };
    now = t0 - 1_000;
    scheduler.start();
    fire(); // both looked at once: A waits for its start, B for its next slice
    expect(armed?.ms).toBe(1_000);
    // At A's start, B's child changes (a fill folded): A is due, B is marked.
    now = t0;
    scheduler.changed('B');
    expect(armed?.ms).toBe(0);
    fire();
    expect(looked.at(-1)).toEqual(['A']);
    expect(armed?.ms).toBe(0);
    fire();
    expect(looked.at(-1)).toEqual(['B']);
  });
});
