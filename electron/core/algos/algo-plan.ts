import { Dec, ZERO } from '../decimal/decimal';
import type { AlgoParent } from './algo-parent';
import { floorLots } from './algo-parent';
import { seededRandom, signed } from './prng';

/** A POV looks at the market's volume this often, on a grid from its start time. */
export const POV_INTERVAL_MS = 1_000;

/**
 * A TWAP's or VWAP's slices: absolute send times and cumulative integer weights. Derived from the
 * parent's terms (start, end, slices, seed, profile) alone, so a replay and an amend of the end time
 * recompute the same way; times come from the start, never from the last send (no drift).
 */
export interface SlicePlan {
  readonly times: readonly number[];
  /** cumulative[i]: weight of slices 0…i. */
  readonly cumulative: readonly number[];
}

/**
 * Plans by the parent's terms object (kept by every fill's new parent: computed once per parent, not
 * per fill), checked against the rest of what the plan depends on (an amend moves the end).
 */
const plans = new WeakMap<AlgoParent['params'], { readonly plan: SlicePlan; readonly startTime: string; readonly endTime: string; readonly seed: number; readonly profile: AlgoParent['profile'] }>();

export function slicePlan(p: AlgoParent): SlicePlan {
  const cached = plans.get(p.params);
  if (cached !== undefined && cached.startTime === p.startTime && cached.endTime === p.endTime && cached.seed === p.seed && cached.profile === p.profile) return cached.plan;
  const start = Date.parse(p.startTime);
  const span = Math.max(1, Date.parse(p.endTime) - start);
  const n = p.params.slices ?? 1;
  const interval = span / n;
  const random = seededRandom(p.seed);
  const times: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const jitter = i === 0 ? 0 : signed(random) * (p.params.timeVariancePct / 100) * interval;
    times.push(Math.round(start + i * interval + jitter));
    const weight =
      p.params.strategy === 'vwap' && p.profile !== undefined ? (p.profile[i] ?? 1) : Math.max(1, Math.round(1_000 * (1 + signed(random) * (p.params.sizeVariancePct / 100))));
    total += weight;
    cumulative.push(total);
  }
  const plan = { times, cumulative };
  plans.set(p.params, { plan, startTime: p.startTime, endTime: p.endTime, seed: p.seed, profile: p.profile });
  return plan;
}

/** How many slices are due at `nowMs`. */
export function slicesDue(plan: SlicePlan, nowMs: number): number {
  let k = 0;
  while (k < plan.times.length && (plan.times[k] as number) <= nowMs) k++;
  return k;
}

/** The quantity the first k slices add up to, in whole lots (all of it once every slice is due). */
export function plannedQty(p: AlgoParent, plan: SlicePlan, k: number): Dec {
  if (k <= 0) return ZERO;
  const n = plan.cumulative.length;
  if (k >= n) return p.quantity;
  return floorLots(p.quantity.times(plan.cumulative[k - 1] as number).dividedBy(plan.cumulative[n - 1] as number), p.lotSize);
}

/**
 * What the schedule wants done by `nowMs`: TWAP/VWAP by their slices; POV its target share of the
 * market's volume since the start (capped at the quantity); an iceberg has no schedule (what it did).
 */
export function scheduledQty(p: AlgoParent, nowMs: number, marketVolume?: Dec): Dec {
  switch (p.params.strategy) {
    case 'twap':
    case 'vwap': {
      const plan = slicePlan(p);
      return plannedQty(p, plan, slicesDue(plan, nowMs));
    }
    case 'pov':
      return povQty(p, p.params.targetRatePct ?? 0, marketVolume);
    case 'iceberg':
      return p.cumQty;
  }
}

/** rate% of the market's volume since the start, in whole lots, at most the quantity. */
export function povQty(p: AlgoParent, ratePct: number, marketVolume?: Dec): Dec {
  if (marketVolume === undefined || p.arrivalVolume === undefined) return ZERO;
  const traded = marketVolume.minus(p.arrivalVolume);
  if (traded.isNegative()) return ZERO;
  const q = floorLots(traded.times(new Dec(String(ratePct))).dividedBy(100), p.lotSize);
  return q.greaterThan(p.quantity) ? p.quantity : q;
}

/** The next time the schedule changes after `nowMs` (a slice, a POV look), or undefined (event-driven only). */
export function nextPlanTime(p: AlgoParent, nowMs: number): number | undefined {
  const start = Date.parse(p.startTime);
  if (nowMs < start) return start;
  switch (p.params.strategy) {
    case 'twap':
    case 'vwap':
      return slicePlan(p).times.find((t) => t > nowMs);
    case 'pov':
      return start + (Math.floor((nowMs - start) / POV_INTERVAL_MS) + 1) * POV_INTERVAL_MS;
    case 'iceberg':
      return undefined;
  }
}

/** The iceberg's next display quantity: the display varied by the seeded PRNG per child, in whole lots, at least one lot. */
export function icebergDisplay(p: AlgoParent): Dec {
  const display = new Dec(p.params.displayQty ?? p.params.quantity);
  const variance = p.params.displayVariancePct;
  if (variance === 0) return floorLots(display, p.lotSize);
  const random = seededRandom((p.seed ^ Math.imul(p.children.length + 1, 0x9e3779b1)) >>> 0);
  const factor = Math.round(1_000 * (1 + signed(random) * (variance / 100)));
  const q = floorLots(display.times(factor).dividedBy(1_000), p.lotSize);
  return q.isZero() ? p.lotSize : q;
}
