import fc from 'fast-check';
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

describe('the algo scheduler waking early, sending on time', () => {
  /**
   * One parent of one-second slices on a clock whose timers of more than a ms fire 0–`maxLate` ms
   * late (seeded; the test clock does not move while the scheduler polls, so its polls end in 1 ms
   * timers, which stand for the polls' own ms resolution and are on time); the
   * broker's writes held by `holdSends` (or not, when `canHold` is false). A child is "on the wire"
   * when its hold is released, or when it is submitted with no hold open.
   */
  function early(o: { leadMs: number; maxLate: number; canHold?: boolean; slices?: number; seed?: number; pollMs?: number }) {
    const base = new TestClock(T0);
    let seed = o.seed ?? 7;
    const late = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % (o.maxLate + 1);
    };
    const clock: Clock = { now: () => base.now(), setTimeout: (fn, ms) => base.setTimeout(fn, ms + (ms > 1 ? late() : 0)), clearTimeout: (h) => base.clearTimeout(h) };
    const slices = o.slices ?? 120;
    let p = parent({ quantity: String(slices), slices, endTime: iso(t0 + slices * 1_000) });
    let holding = 0;
    let onHold: Array<{ scheduledAt: number; orderId: string }> = [];
    const submitted: Array<{ at: number; scheduledAt: number; orderId: string }> = [];
    const wire: Array<{ at: number; scheduledAt: number; orderId: string }> = [];
    const dispatched: Array<{ scheduledAt: number; actual: number }> = [];
    let n = 0;
    const scheduler = new AlgoScheduler({
      clock,
      log: silentLogger,
      leadMs: o.leadMs,
      ...(o.pollMs !== undefined && { pollMs: o.pollMs }),
      holdSends: () => {
        if (o.canHold === false) return undefined;
        holding++;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          if (--holding > 0) return;
          for (const c of onHold) wire.push({ at: base.now().getTime(), ...c });
          onHold = [];
        };
      },
      parents: { get: () => p, parentOf: () => undefined, all: () => [p], live: () => [p] },
      market: () => undefined,
      brokerUp: () => true,
      act: (parent, actions) => {
        for (const a of actions) {
          if (a.kind !== 'send') continue;
          const orderId = `C${++n}`;
          submitted.push({ at: base.now().getTime(), scheduledAt: a.scheduledAt, orderId });
          if (holding > 0) onHold.push({ scheduledAt: a.scheduledAt, orderId });
          else wire.push({ at: base.now().getTime(), scheduledAt: a.scheduledAt, orderId });
          p = withChild(parent, { orderId, quantity: a.quantity, cumQty: a.quantity, notional: a.quantity.times(100), exposure: ZERO, open: false, rejected: false, cancelPending: false, uncertain: false, createdAt: T0 }, base.now().toISOString());
          scheduler.changed(p.parentId);
        }
      },
      dispatched: (scheduledAt, actual) => dispatched.push({ scheduledAt, actual }),
    });
    return { base, scheduler, submitted, wire, dispatched, holding: () => holding, parent: () => p, slices };
  }

  it('prepares each child ahead, with the writes held, and releases it exactly at its due time when the timers are no later than the lead', () => {
    const h = early({ leadMs: 4, maxLate: 3 });
    h.scheduler.start();
    h.base.advance(h.slices * 1_000 + 10_000);
    expect(h.wire).toHaveLength(h.slices);
    for (const [k, w] of h.wire.entries()) {
      expect(w.scheduledAt).toBe(t0 + k * 1_000);
      expect(w.at).toBe(w.scheduledAt); // never early, never late
    }
    // Prepared before the due time (the lead), not at it: the work is done while waiting.
    expect(h.submitted.filter((s) => s.at < s.scheduledAt).length).toBeGreaterThan(h.slices * 0.9);
    for (const s of h.submitted) expect(s.scheduledAt - s.at).toBeLessThanOrEqual(4);
    expect(h.dispatched.map((d) => d.actual - d.scheduledAt)).toEqual(Array(h.slices).fill(0));
    expect(h.holding()).toBe(0);
    expect(h.parent().status).toBe('completed');
  });

  it('never sends a child twice or early, whatever the lateness (timers later than the lead: sent at once, late)', () => {
    const h = early({ leadMs: 2, maxLate: 6 });
    h.scheduler.start();
    h.base.advance(h.slices * 1_000 + 10_000);
    expect(h.wire).toHaveLength(h.slices);
    expect(new Set(h.wire.map((w) => w.orderId)).size).toBe(h.slices);
    expect(new Set(h.wire.map((w) => w.scheduledAt)).size).toBe(h.slices);
    for (const w of h.wire) {
      expect(w.at).toBeGreaterThanOrEqual(w.scheduledAt);
      expect(w.at - w.scheduledAt).toBeLessThanOrEqual(6 - 2);
    }
    expect(h.wire.some((w) => w.at > w.scheduledAt)).toBe(true); // the test can see lateness
  });

  it('polling only the last ms of the lead (a timer before them): still released at the due time, never before', () => {
    const h = early({ leadMs: 4, maxLate: 0, pollMs: 1, slices: 20 });
    h.scheduler.start();
    h.base.advance(30_000);
    expect(h.wire).toHaveLength(20);
    for (const w of h.wire) expect(w.at).toBe(w.scheduledAt);
    expect(h.submitted.filter((s) => s.at < s.scheduledAt)).toHaveLength(19); // all but the first, due at the start
  });

  it('a broker that cannot hold its writes: its parents are looked at when due, not early', () => {
    const h = early({ leadMs: 4, maxLate: 0, canHold: false, slices: 10 });
    h.scheduler.start();
    h.base.advance(20_000);
    expect(h.wire).toHaveLength(10);
    for (const s of h.submitted) expect(s.at).toBe(s.scheduledAt);
  });

  it('property: whatever the lead, the lateness and folds changing the parent at any time, every child goes out once, never before its time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.array(fc.integer({ min: 0, max: 12_000 }), { maxLength: 30 }),
        (leadMs, maxLate, seed, pokes) => {
          const h = early({ leadMs, maxLate, slices: 10, seed });
          h.scheduler.start();
          for (const at of pokes) h.base.setTimeout(() => h.scheduler.changed(h.parent().parentId), at);
          h.base.advance(20_000);
          expect(h.wire.map((w) => w.scheduledAt)).toEqual(Array.from({ length: 10 }, (_, k) => t0 + k * 1_000));
          for (const w of h.wire) expect(w.at).toBeGreaterThanOrEqual(w.scheduledAt);
          expect(new Set(h.submitted.map((c) => c.scheduledAt)).size).toBe(h.submitted.length);
          expect(h.holding()).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('tells the next deadline: its next wake (the due time less the lead), or a prepared child\'s due time while it waits', () => {
    const h = early({ leadMs: 4, maxLate: 0, slices: 10 });
    expect(h.scheduler.nextDeadline()).toBeUndefined();
    h.scheduler.start();
    h.base.advance(0); // the first slice (due at the start) sent at once
    expect(h.scheduler.nextDeadline()).toBe(t0 + 1_000 - 4);
    h.base.advance(1_000 - 4); // the second slice prepared, waiting for its time
    expect(h.wire).toHaveLength(1);
    expect(h.scheduler.nextDeadline()).toBe(t0 + 1_000);
    h.base.advance(4);
    expect(h.wire).toHaveLength(2);
    expect(h.scheduler.nextDeadline()).toBe(t0 + 2_000 - 4);
    h.scheduler.stop();
    expect(h.scheduler.nextDeadline()).toBeUndefined();
  });

  it('stopping releases what waits for its due time (a Logout must not wait behind it)', () => {
    const h = early({ leadMs: 4, maxLate: 0, slices: 10 });
    h.scheduler.start();
    h.base.advance(1_000 - 3); // the second slice's child prepared and held
    expect(h.submitted).toHaveLength(2);
    expect(h.wire).toHaveLength(1);
    expect(h.holding()).toBeGreaterThan(0);
    h.scheduler.stop();
    expect(h.holding()).toBe(0);
    h.base.advance(60_000);
    expect(h.submitted).toHaveLength(2);
  });
});
