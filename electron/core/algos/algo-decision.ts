import { Dec } from '../decimal/decimal';
import type { AlgoParent } from './algo-parent';
import { floorLots, sendable } from './algo-parent';
import { icebergDisplay, nextPlanTime, plannedQty, povQty, scheduledQty, slicePlan, slicesDue } from './algo-plan';

/** The live market of the parent's instrument, as the scheduler reads it (exact decimals). */
export interface MarketNow {
  readonly bid?: Dec;
  readonly ask?: Dec;
  readonly last?: Dec;
  readonly volume?: Dec;
}

export interface DecisionInput {
  readonly nowMs: number;
  readonly market?: MarketNow;
  /** The parent's broker is logged on (a child to a broker that is down would be refused). */
  readonly brokerUp: boolean;
}

export type AlgoAction =
  | { readonly kind: 'send'; readonly quantity: Dec; readonly limitPrice?: Dec; readonly scheduledAt: number }
  | { readonly kind: 'cancelChild'; readonly orderId: string }
  | { readonly kind: 'flag'; readonly reason: string }
  | { readonly kind: 'end' };

export interface Decision {
  readonly actions: readonly AlgoAction[];
  /** When to look again (absolute ms on the clock); undefined: when a child or the parent changes. */
  readonly wakeAt?: number;
}

/** Children rejected in a row before the parent is flagged and paused. */
export const REJECT_LIMIT = 3;
/** The wait before retrying after the n-th reject in a row: 1 s, 2 s, 4 s… */
export const rejectBackoffMs = (n: number) => 1_000 * 2 ** Math.max(0, n - 1);
/** How often to look again while the broker is down. */
export const BROKER_DOWN_RETRY_MS = 1_000;

const NOTHING: Decision = { actions: [] };

/**
 * What a parent should do now: a pure function of the parent (the journal's fold), the time and the
 * live quote. Never more than `sendable` (quantity − filled − working): the no-overfill invariant.
 */
export function decide(p: AlgoParent, input: DecisionInput): Decision {
  const { nowMs } = input;
  const endMs = Date.parse(p.endTime);
  const cancelAll = p.status === 'paused' || p.status === 'cancelling' || (p.status === 'ending' && p.params.atEnd === 'cancelRest') || p.pendingQuantity !== undefined;
  if (cancelAll) {
    const actions: AlgoAction[] = p.children.filter((c) => c.open && !c.cancelPending).map((c) => ({ kind: 'cancelChild', orderId: c.orderId }));
    if (p.status === 'paused' && nowMs >= endMs) actions.push({ kind: 'end' });
    return { actions, ...(p.status === 'paused' && nowMs < endMs && { wakeAt: endMs }) };
  }
  if (p.status !== 'running') return NOTHING;
  if (nowMs >= endMs) return { actions: [{ kind: 'end' }] };
  const startMs = Date.parse(p.startTime);
  if (nowMs < startMs) return { actions: [], wakeAt: startMs };
  if (p.rejectsInRow >= REJECT_LIMIT) return { actions: [{ kind: 'flag', reason: `${p.rejectsInRow} children rejected in a row: paused for a person to look` }] };
  const wake = Math.min(nextPlanTime(p, nowMs) ?? endMs, endMs);
  if (p.rejectsInRow > 0 && p.lastRejectAt !== undefined) {
    const retryAt = Date.parse(p.lastRejectAt) + rejectBackoffMs(p.rejectsInRow);
    if (nowMs < retryAt) return { actions: [], wakeAt: Math.min(retryAt, endMs) };
  }
  // Children in doubt (a drop, a restart) are reconciled with the broker before anything new goes.
  if (p.children.some((c) => c.uncertain)) return { actions: [], wakeAt: wake };
  if (!input.brokerUp) return { actions: [], wakeAt: Math.min(nowMs + BROKER_DOWN_RETRY_MS, endMs) };
  const room = sendable(p);
  if (room.isZero()) return { actions: [], wakeAt: wake };

  const market = input.market;
  const buy = p.params.side === 'buy';
  let style = p.params.childStyle;
  let want: Dec;
  let scheduledAt = nowMs;
  const done = p.cumQty.plus(p.exposure);
  const farTouch = buy ? market?.ask : market?.bid;
  const wouldHit = p.params.wouldPrice !== undefined && farTouch !== undefined && (buy ? farTouch.lessThanOrEqualTo(p.params.wouldPrice) : farTouch.greaterThanOrEqualTo(p.params.wouldPrice));
  if (wouldHit) {
    want = room;
    style = 'atTouch';
  } else if (p.params.strategy === 'iceberg') {
    if (!p.exposure.isZero()) return { actions: [], wakeAt: endMs };
    want = icebergDisplay(p);
  } else if (p.params.strategy === 'pov') {
    const volume = market?.volume;
    want = scheduledQty(p, nowMs, volume).minus(done);
    if (p.params.maxRatePct !== undefined) {
      const cap = povQty(p, p.params.maxRatePct, volume).minus(done);
      if (want.greaterThan(cap)) want = cap;
    }
    if (p.params.minRatePct !== undefined && done.lessThan(povQty(p, p.params.minRatePct, volume))) style = 'aggressive';
  } else {
    const plan = slicePlan(p);
    const k = slicesDue(plan, nowMs);
    scheduledAt = plan.times[k - 1] ?? startMs;
    want = plannedQty(p, plan, k).minus(done);
    if (!p.params.catchUp) {
      const slice = plannedQty(p, plan, k).minus(plannedQty(p, plan, k - 1));
      if (want.greaterThan(slice)) want = slice;
    }
  }
  if (want.greaterThan(room)) want = room;
  if (p.params.maxChildQty !== undefined && want.greaterThan(p.params.maxChildQty)) want = new Dec(p.params.maxChildQty);
  want = floorLots(want, p.lotSize);
  if (want.isZero()) return { actions: [], wakeAt: wake };
  // Below the minimum child size, wait to accumulate (unless it is all that is left).
  if (p.params.minChildQty !== undefined && want.lessThan(p.params.minChildQty) && want.lessThan(room)) return { actions: [], wakeAt: wake };
  const limitPrice = childPrice(p, style, market);
  return { actions: [{ kind: 'send', quantity: want, ...(limitPrice !== undefined && { limitPrice }), scheduledAt }], wakeAt: wake };
}

/**
 * A child's limit from the live quote: passive joins our side, at touch takes the far touch,
 * aggressive goes a tick through it; never through the parent's limit. No quote: the parent's
 * limit (or a market order when it has none).
 */
export function childPrice(p: AlgoParent, style: 'passive' | 'atTouch' | 'aggressive', market: MarketNow | undefined): Dec | undefined {
  const buy = p.params.side === 'buy';
  const near = buy ? market?.bid : market?.ask;
  const far = buy ? market?.ask : market?.bid;
  let price: Dec | undefined;
  if (style === 'passive') price = near ?? far;
  else if (style === 'atTouch') price = far;
  else if (far !== undefined) price = buy ? far.plus(p.tickSize) : far.minus(p.tickSize);
  if (price === undefined || !price.greaterThan(0)) return p.limitPrice;
  if (p.limitPrice === undefined) return price;
  return buy ? (price.greaterThan(p.limitPrice) ? p.limitPrice : price) : price.lessThan(p.limitPrice) ? p.limitPrice : price;
}
