import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlgoStrategy } from '../../../shared/contract/algos';
import { Dec, ZERO } from '../decimal/decimal';
import type { AlgoParent, ChildState } from './algo-parent';
import { applyAlgoEvent, withChild } from './algo-parent';
import { decide } from './algo-decision';
import { child, iso, parent, t0 } from './algo.test-support';
import { isLive } from './algo-state-table';

/**
 * The no-overfill invariant under random fills, rejects, amends, pauses and cancels: at every step
 * the parent's filled quantity plus its working children's leaves never exceeds the quantity in
 * force, and a pending amend-down never lets a new child out. A small reference broker keeps the
 * children's truth; the parent is the real fold (withChild, applyAlgoEvent) driven by the real
 * decisions (decide).
 */

type Op =
  | { readonly k: 'tick'; readonly ms: number }
  | { readonly k: 'fill'; readonly pick: number; readonly share: number }
  | { readonly k: 'reject'; readonly pick: number }
  | { readonly k: 'cancelAck'; readonly pick: number }
  | { readonly k: 'cancelReject'; readonly pick: number }
  | { readonly k: 'amend'; readonly share: number }
  | { readonly k: 'pause' }
  | { readonly k: 'resume' }
  | { readonly k: 'cancel' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('fill' as const), pick: fc.nat(), share: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reject' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cancelAck' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancelReject' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('amend' as const), share: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'pause' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'cancel' as const }) },
);

const strategy = fc.constantFrom<AlgoStrategy>('twap', 'vwap', 'pov', 'iceberg');
const market = (nowMs: number) => ({ bid: new Dec('99.99'), ask: new Dec('100.01'), volume: new Dec(50_000 + Math.floor((nowMs - t0) / 10)) });

function run(kind: AlgoStrategy, catchUp: boolean, ops: readonly Op[]): void {
  let p: AlgoParent = parent(
    {
      strategy: kind,
      quantity: '1000',
      catchUp,
      slices: kind === 'twap' || kind === 'vwap' ? 10 : undefined,
      ...(kind === 'pov' && { targetRatePct: 20, maxRatePct: 40 }),
      ...(kind === 'iceberg' && { displayQty: '150', displayVariancePct: 20, limitPrice: '101' }),
    },
    { arrivalVolume: '50000', ...(kind === 'vwap' && { profile: [3, 2, 1, 1, 1, 1, 1, 1, 2, 3] }) },
  );
  let nowMs = t0;
  let serial = 0;
  const truth = new Map<string, ChildState>();
  const at = () => iso(nowMs);
  const update = (c: ChildState) => {
    truth.set(c.orderId, c);
    p = withChild(p, c, at());
  };
  const pick = (n: number, fit: (c: ChildState) => boolean) => {
    const all = [...truth.values()].filter(fit);
    return all.length === 0 ? undefined : all[n % all.length];
  };
  const check = () => {
    expect(p.cumQty.plus(p.exposure).lessThanOrEqualTo(p.quantity)).toBe(true);
    let cum = ZERO;
    for (const c of truth.values()) cum = cum.plus(c.cumQty);
    expect(p.cumQty.equals(cum)).toBe(true);
    if (p.status === 'completed') expect(p.cumQty.equals(p.quantity)).toBe(true);
  };
  const look = () => {
    const d = decide(p, { nowMs, market: market(nowMs), brokerUp: true });
    for (const a of d.actions) {
      if (a.kind === 'send') {
        const room = (p.pendingQuantity ?? p.quantity).minus(p.cumQty).minus(p.exposure);
        expect(a.quantity.lessThanOrEqualTo(room)).toBe(true);
        expect(a.quantity.greaterThan(0)).toBe(true);
        update(child(`C${++serial}`, a.quantity.toString()));
      } else if (a.kind === 'cancelChild') {
        const c = truth.get(a.orderId);
        if (c !== undefined) update({ ...c, cancelPending: true });
      } else {
        const next = applyAlgoEvent(p, a.kind === 'flag' ? { type: 'algoParentFlagged', at: at(), parentId: p.parentId, reason: a.reason } : { type: 'algoParentEnded', at: at(), parentId: p.parentId });
        if (next !== undefined) p = next;
      }
      check();
    }
  };
  look();
  for (const o of ops) {
    switch (o.k) {
      case 'tick':
        nowMs += o.ms;
        break;
      case 'fill': {
        const c = pick(o.pick, (x) => x.open);
        if (c === undefined) break;
        const leaves = c.quantity.minus(c.cumQty);
        const qty = Dec.max(new Dec(1), leaves.times(o.share).dividedBy(100).floor());
        const cumQty = c.cumQty.plus(qty);
        const open = cumQty.lessThan(c.quantity);
        update({ ...c, cumQty, notional: c.notional.plus(qty.times(100)), exposure: open ? c.quantity.minus(cumQty) : ZERO, open, cancelPending: open && c.cancelPending });
        break;
      }
      case 'reject': {
        const c = pick(o.pick, (x) => x.open && x.cumQty.isZero() && !x.cancelPending);
        if (c !== undefined) update({ ...c, open: false, rejected: true, exposure: ZERO });
        break;
      }
      case 'cancelAck': {
        const c = pick(o.pick, (x) => x.open && x.cancelPending);
        if (c !== undefined) update({ ...c, open: false, exposure: ZERO, cancelPending: false });
        break;
      }
      case 'cancelReject': {
        const c = pick(o.pick, (x) => x.open && x.cancelPending);
        if (c !== undefined) update({ ...c, cancelPending: false });
        break;
      }
      case 'amend': {
        if (p.status !== 'running' && p.status !== 'paused') break;
        const q = Dec.max(p.cumQty, new Dec(1000).times(o.share).dividedBy(100).floor());
        const next = applyAlgoEvent(p, { type: 'algoParentAmended', at: at(), parentId: p.parentId, by: 't', quantity: q.toString() });
        if (next !== undefined) p = next;
        break;
      }
      case 'pause':
      case 'resume':
      case 'cancel': {
        const type = o.k === 'pause' ? 'algoParentPaused' : o.k === 'resume' ? 'algoParentResumed' : 'algoParentCancelled';
        const next = applyAlgoEvent(p, { type, at: at(), parentId: p.parentId, by: 't' });
        if (next !== undefined) p = next;
        break;
      }
    }
    check();
    if (isLive(p.status)) look();
  }
}

describe('no overfill', () => {
  it('filled + working never exceeds the quantity in force, whatever the broker and the trader do', () => {
    fc.assert(
      fc.property(strategy, fc.boolean(), fc.array(op, { minLength: 1, maxLength: 120 }), (kind, catchUp, ops) => run(kind, catchUp, ops)),
      { numRuns: 300 },
    );
  });
});
