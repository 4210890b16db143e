import type { AlgoParentView } from '../../../shared/contract/algos';
import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import { SnapshotFormatError } from '../journal/snapshot-codec';
import type { Order } from '../orders/order';
import { averagePrice, isOpen, ledgerTotals } from '../orders/order';
import type { OrderBookView } from '../orders/order-book';
import { Dec, decimalString, ZERO } from '../decimal/decimal';
import type { AlgoParent, ChildState } from './algo-parent';
import { applyAlgoEvent, startedParent, withChild } from './algo-parent';
import { isLive } from './algo-state-table';
import { scheduledQty } from './algo-plan';

export interface AlgoParentsView {
  get(parentId: string): AlgoParent | undefined;
  /** The parent a child order belongs to. */
  parentOf(orderId: string): string | undefined;
  all(): Iterable<AlgoParent>;
  /** Parents still working (running, paused, cancelling, ending). */
  live(): AlgoParent[];
}

/**
 * The algo parents: a read model folded after the order book (registry order), so a child's event
 * finds its order as that event left it. A parent's fills are its children's, rolled up exactly
 * (CumQty, notional, AvgPx). Its snapshot part is the parents themselves; a finished parent leaves at
 * the next trading day (its events stay in the journal).
 */
export class AlgoParents implements ReadModel<AlgoParent | undefined, AlgoParentsView, { parents: AlgoParent }> {
  readonly name = 'algoParents';
  readonly version = 1;
  readonly parts = { parents: PARENT_CODEC };
  readonly view: AlgoParentsView;
  private parents = new Map<string, AlgoParent>();
  private childOf = new Map<string, string>();

  constructor(private readonly orders: OrderBookView) {
    this.view = {
      get: (id) => this.parents.get(id),
      parentOf: (orderId) => this.childOf.get(orderId),
      all: () => this.parents.values(),
      live: () => [...this.parents.values()].filter((p) => isLive(p.status)),
    };
  }

  apply(event: DeskEvent): AlgoParent | undefined {
    switch (event.type) {
      case 'algoParentStarted':
        return this.put(startedParent(event));
      case 'algoParentPaused':
      case 'algoParentResumed':
      case 'algoParentAmended':
      case 'algoParentCancelled':
      case 'algoParentFlagged':
      case 'algoParentEnded': {
        const p = this.parents.get(event.parentId);
        const next = p === undefined ? undefined : applyAlgoEvent(p, event);
        return next === undefined ? undefined : this.put(next);
      }
      case 'orderSubmitted':
      case 'orderDenied':
        if (event.parentId !== undefined && this.parents.has(event.parentId)) this.childOf.set(event.orderId, event.parentId);
        return this.childChanged(event.orderId, event.at);
      case 'sessionInterrupted': {
        // Many children at once may now be in doubt.
        let last: AlgoParent | undefined;
        for (const p of this.view.live()) for (const c of p.children) last = this.childChanged(c.orderId, event.at) ?? last;
        return last;
      }
      case 'dayStarted':
        for (const [id, p] of this.parents) {
          if (isLive(p.status)) continue;
          this.parents.delete(id);
          for (const c of p.children) this.childOf.delete(c.orderId);
        }
        return undefined;
      default:
        return 'orderId' in event && event.orderId !== undefined ? this.childChanged(event.orderId, event.at) : undefined;
    }
  }

  private childChanged(orderId: string, at: string): AlgoParent | undefined {
    const parentId = this.childOf.get(orderId);
    if (parentId === undefined) return undefined;
    const parent = this.parents.get(parentId);
    const order = this.orders.get(orderId);
    if (parent === undefined || order === undefined) return undefined;
    return this.put(withChild(parent, childState(order), at));
  }

  private put(p: AlgoParent): AlgoParent {
    this.parents.set(p.parentId, p);
    return p;
  }

  capture() {
    return { parents: [...this.parents.values()] };
  }

  restore(parts: { readonly parents: readonly AlgoParent[] }): void {
    this.parents = new Map(parts.parents.map((p) => [p.parentId, p]));
    this.childOf = new Map(parts.parents.flatMap((p) => p.children.map((c): [string, string] => [c.orderId, p.parentId])));
  }
}

/** A child as its parent counts it. */
export function childState(order: Order): ChildState {
  const { cumQty, notional } = ledgerTotals(order.fills, order.unseen, order.adjustment);
  const open = isOpen(order);
  const replacing = order.requests.reduce((q, r) => (r.kind === 'replace' && r.quantity !== undefined && r.quantity.greaterThan(q) ? r.quantity : q), order.quantity);
  const leaves = replacing.minus(cumQty);
  return {
    orderId: order.orderId,
    quantity: order.quantity,
    cumQty,
    notional,
    exposure: open && leaves.greaterThan(ZERO) ? leaves : ZERO,
    open,
    rejected: order.working === 'rejected',
    cancelPending: order.requests.some((r) => r.kind === 'cancel' && r.timedOut !== true),
    uncertain: order.uncertain !== undefined,
    createdAt: order.createdAt,
  };
}

/** The market's day volume and VWAP now (the quote), for progress and slippage. */
export interface MarketTotals {
  readonly volume?: Dec;
  readonly vwap?: Dec;
}

/**
 * A parent as the screens show it, at `nowMs`: what the schedule wanted by now (POV from the market's
 * volume), how far ahead or behind, and slippage in basis points against the arrival price and the
 * interval VWAP (the market's VWAP since the start), positive when worse for the parent's side.
 */
export function algoParentView(p: AlgoParent, nowMs: number, market: MarketTotals = {}): AlgoParentView {
  const avg = p.cumQty.isZero() ? undefined : averagePrice(p.cumQty, p.notional);
  const scheduled = scheduledQty(p, nowMs, market.volume);
  const vwap = intervalVwap(p, market);
  const bps = (benchmark: Dec | undefined) => {
    if (avg === undefined || benchmark === undefined || benchmark.isZero()) return undefined;
    const diff = p.params.side === 'buy' ? avg.minus(benchmark) : benchmark.minus(avg);
    return decimalString(diff.times(10_000).dividedBy(benchmark).toDecimalPlaces(2));
  };
  const vsArrival = bps(p.arrivalPrice);
  const vsVwap = bps(vwap);
  return {
    parentId: p.parentId,
    strategy: p.params.strategy,
    instrumentId: p.params.instrumentId,
    side: p.params.side,
    account: p.params.account,
    broker: p.params.broker,
    quantity: decimalString(p.quantity),
    ...(p.pendingQuantity !== undefined && { pendingQuantity: decimalString(p.pendingQuantity) }),
    ...(p.limitPrice !== undefined && { limitPrice: decimalString(p.limitPrice) }),
    startTime: p.startTime,
    endTime: p.endTime,
    status: p.status,
    ...(p.flagged !== undefined && { flagged: p.flagged }),
    cumQty: decimalString(p.cumQty),
    ...(avg !== undefined && { avgPx: decimalString(avg) }),
    workingQty: decimalString(p.exposure),
    scheduledQty: decimalString(scheduled),
    percentDone: decimalString(p.quantity.isZero() ? ZERO : p.cumQty.times(100).dividedBy(p.quantity).toDecimalPlaces(1)),
    aheadQty: decimalString(p.params.strategy === 'iceberg' ? ZERO : p.cumQty.minus(scheduled)),
    ...(p.arrivalPrice !== undefined && { arrivalPrice: decimalString(p.arrivalPrice) }),
    ...(vwap !== undefined && { intervalVwap: decimalString(vwap.toDecimalPlaces(6)) }),
    ...(vsArrival !== undefined && { slippageVsArrivalBps: vsArrival }),
    ...(vsVwap !== undefined && { slippageVsVwapBps: vsVwap }),
    childIds: p.children.map((c) => c.orderId),
    params: p.params,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: p.version,
  };
}

/** The market's VWAP over the parent's interval: (vwap·volume now − at the start) / (volume now − at the start). */
function intervalVwap(p: AlgoParent, m: MarketTotals): Dec | undefined {
  if (m.volume === undefined || m.vwap === undefined || p.arrivalVolume === undefined || p.arrivalVwap === undefined) return undefined;
  const traded = m.volume.minus(p.arrivalVolume);
  if (!traded.greaterThan(0)) return undefined;
  return m.vwap.times(m.volume).minus(p.arrivalVwap.times(p.arrivalVolume)).dividedBy(traded);
}

// A parent is a handful of fields and its children: one JSON text per entry (parents are few).
const PARENT_CODEC: PartCodec<AlgoParent> = {
  entriesPerBlock: 64,
  write: (p, w) => w.inline(JSON.stringify(p)),
  read: (r) => {
    try {
      return parentFromJson(JSON.parse(r.str()));
    } catch (error) {
      throw new SnapshotFormatError(`algo parent: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
};

const DECS = ['lotSize', 'tickSize', 'arrivalPrice', 'arrivalVolume', 'arrivalVwap', 'quantity', 'pendingQuantity', 'limitPrice', 'cumQty', 'notional', 'exposure'] as const;
const CHILD_DECS = ['quantity', 'cumQty', 'notional', 'exposure'] as const;

function parentFromJson(json: Record<string, unknown>): AlgoParent {
  const out: Record<string, unknown> = { ...json };
  for (const k of DECS) if (typeof json[k] === 'string') out[k] = new Dec(json[k]);
  if (!Array.isArray(json.children)) throw new Error('children missing');
  out.children = (json.children as Record<string, unknown>[]).map((c) => {
    const child: Record<string, unknown> = { ...c };
    for (const k of CHILD_DECS) child[k] = new Dec(c[k] as string);
    return child;
  });
  return out as unknown as AlgoParent;
}
