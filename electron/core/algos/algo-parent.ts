import type { AlgoParams, AlgoStatus } from '../../../shared/contract/algos';
import type { AlgoEvent, AlgoParentStarted } from '../journal/algo-events';
import { Dec, ZERO } from '../decimal/decimal';
import { algoTransition } from './algo-state-table';
import type { AlgoStatusEvent } from './algo-state-table';

/** A child as its parent counts it (taken from the order book after each of its events). */
export interface ChildState {
  readonly orderId: string;
  readonly quantity: Dec;
  readonly cumQty: Dec;
  /** Σ fill quantity × price, exact: the parent's AvgPx comes from these. */
  readonly notional: Dec;
  /** What may still fill: an open child's leaves (from the larger quantity while an amend of it is pending); zero once done. */
  readonly exposure: Dec;
  readonly open: boolean;
  readonly rejected: boolean;
  readonly cancelPending: boolean;
  /** A request of ours unanswered at a drop or a restart: nothing new is sent for the parent until the broker says. */
  readonly uncertain: boolean;
  readonly createdAt: string;
}

/** A parent order handed to an algorithm. Immutable: every change is a new one. */
export interface AlgoParent {
  readonly parentId: string;
  readonly params: AlgoParams;
  readonly seed: number;
  readonly profile?: readonly number[];
  readonly lotSize: Dec;
  readonly tickSize: Dec;
  readonly arrivalPrice?: Dec;
  readonly arrivalVolume?: Dec;
  readonly arrivalVwap?: Dec;
  /** The quantity in force. Never below filled + working (the no-overfill invariant). */
  readonly quantity: Dec;
  /** An amend-down waiting for working children to be cancelled; it becomes `quantity` once filled + working fit it. */
  readonly pendingQuantity?: Dec;
  readonly limitPrice?: Dec;
  readonly startTime: string;
  readonly endTime: string;
  readonly status: AlgoStatus;
  readonly flagged?: string;
  readonly children: readonly ChildState[];
  readonly cumQty: Dec;
  readonly notional: Dec;
  /** Σ children's exposure. */
  readonly exposure: Dec;
  /** Children rejected in a row (a fill resets it): retried with backoff, then the parent is flagged. */
  readonly rejectsInRow: number;
  readonly lastRejectAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export function startedParent(e: AlgoParentStarted): AlgoParent {
  return {
    parentId: e.parentId,
    params: e.params,
    seed: e.seed,
    ...(e.profile !== undefined && { profile: e.profile }),
    lotSize: new Dec(e.lotSize),
    tickSize: new Dec(e.tickSize),
    ...(e.arrivalPrice !== undefined && { arrivalPrice: new Dec(e.arrivalPrice) }),
    ...(e.arrivalVolume !== undefined && { arrivalVolume: new Dec(e.arrivalVolume) }),
    ...(e.arrivalVwap !== undefined && { arrivalVwap: new Dec(e.arrivalVwap) }),
    quantity: new Dec(e.params.quantity),
    ...(e.params.limitPrice !== undefined && { limitPrice: new Dec(e.params.limitPrice) }),
    startTime: e.params.startTime,
    endTime: e.params.endTime,
    status: 'running',
    children: [],
    cumQty: ZERO,
    notional: ZERO,
    exposure: ZERO,
    rejectsInRow: 0,
    createdAt: e.at,
    updatedAt: e.at,
    version: 1,
  };
}

/** A person's or the scheduler's event on a parent; undefined when it changes nothing. */
export function applyAlgoEvent(p: AlgoParent, e: Exclude<AlgoEvent, AlgoParentStarted>): AlgoParent | undefined {
  switch (e.type) {
    case 'algoParentPaused':
      return moved(p, 'pause', e.at);
    case 'algoParentResumed': {
      const next = moved(p, 'resume', e.at);
      if (next === undefined) return undefined;
      const { flagged: _cleared, lastRejectAt: _gone, ...rest } = next;
      return { ...rest, rejectsInRow: 0 };
    }
    case 'algoParentCancelled':
      return settle(moved(p, 'cancel', e.at));
    case 'algoParentEnded':
      return settle(moved(p, 'end', e.at));
    case 'algoParentFlagged': {
      const next = moved(p, 'flag', e.at);
      return next === undefined ? undefined : { ...next, flagged: e.reason };
    }
    case 'algoParentAmended': {
      let next: AlgoParent = { ...p, updatedAt: e.at, version: p.version + 1 };
      if (e.limitPrice !== undefined) next = { ...next, limitPrice: new Dec(e.limitPrice) };
      if (e.endTime !== undefined) next = { ...next, endTime: e.endTime };
      if (e.quantity !== undefined) {
        const q = new Dec(e.quantity);
        const { pendingQuantity: _replaced, ...rest } = next;
        next = q.greaterThanOrEqualTo(p.cumQty.plus(p.exposure)) ? { ...rest, quantity: q } : { ...rest, pendingQuantity: q };
      }
      return settle(next);
    }
  }
}

/** A child's new state (its order changed): totals rolled up again, rejects counted, the status settled. */
export function withChild(p: AlgoParent, child: ChildState, at: string): AlgoParent {
  const index = p.children.findIndex((c) => c.orderId === child.orderId);
  const before = index >= 0 ? p.children[index] : undefined;
  const children = index >= 0 ? p.children.map((c, i) => (i === index ? child : c)) : [...p.children, child];
  let cumQty = ZERO;
  let notional = ZERO;
  let exposure = ZERO;
  for (const c of children) {
    cumQty = cumQty.plus(c.cumQty);
    notional = notional.plus(c.notional);
    exposure = exposure.plus(c.exposure);
  }
  let next: AlgoParent = { ...p, children, cumQty, notional, exposure, updatedAt: at, version: p.version + 1 };
  if (child.rejected && before?.rejected !== true) next = { ...next, rejectsInRow: p.rejectsInRow + 1, lastRejectAt: at };
  else if (before !== undefined && child.cumQty.greaterThan(before.cumQty)) next = { ...next, rejectsInRow: 0 };
  return settle(next);
}

/** A pending amend-down takes hold when filled + working fit it (or, once nothing works, at what was filled); then done or closed. */
function settle(p: AlgoParent): AlgoParent;
function settle(p: AlgoParent | undefined): AlgoParent | undefined;
function settle(p: AlgoParent | undefined): AlgoParent | undefined {
  if (p === undefined) return undefined;
  let next = p;
  if (next.pendingQuantity !== undefined) {
    const { pendingQuantity, ...rest } = next;
    if (next.cumQty.plus(next.exposure).lessThanOrEqualTo(pendingQuantity)) next = { ...rest, quantity: pendingQuantity };
    else if (next.exposure.isZero()) next = { ...rest, quantity: next.cumQty, flagged: `the amend to ${pendingQuantity.toString()} was overtaken by fills: ${next.cumQty.toString()} filled` };
  }
  if (next.cumQty.greaterThanOrEqualTo(next.quantity)) next = { ...next, status: algoTransition(next.status, 'filled') ?? next.status };
  if (next.exposure.isZero()) next = { ...next, status: algoTransition(next.status, 'childrenClosed') ?? next.status };
  return next;
}

function moved(p: AlgoParent, event: AlgoStatusEvent, at: string): AlgoParent | undefined {
  const status = algoTransition(p.status, event);
  return status === undefined ? undefined : { ...p, status, updatedAt: at, version: p.version + 1 };
}

/** What the parent may still send: quantity − filled − working (never negative). */
export function sendable(p: AlgoParent): Dec {
  const q = p.pendingQuantity !== undefined && p.pendingQuantity.lessThan(p.quantity) ? p.pendingQuantity : p.quantity;
  const left = q.minus(p.cumQty).minus(p.exposure);
  return left.isNegative() ? ZERO : left;
}

/** Rounds a quantity down to whole lots. */
export function floorLots(q: Dec, lot: Dec): Dec {
  if (q.isNegative() || q.isZero()) return ZERO;
  return q.dividedBy(lot).floor().times(lot);
}
