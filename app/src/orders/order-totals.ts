import Decimal from 'decimal.js';
import type { OrderView } from '../../../shared/contract/views';

/**
 * Exact totals of the orders a view shows (the pinned totals row): count, quantity, notional and
 * filled notional, in decimals (decimal.js with room for any sum of the contract's decimals: 18
 * integer digits and 12 decimals each, products of two, millions of rows), never binary floats.
 *
 *   notional         quantity × limit price; a market or stop order with fills: quantity × avg px;
 *                    one with neither has no price: counted in `unpriced`, not in the notional
 *   filled notional  cum qty × avg px
 *
 * Kept up to date row by row (`replace`: the row's old version out, its new one in), so a fill costs
 * a few additions, not a pass over every row.
 */
const Exact = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 60 });
type Exact = InstanceType<typeof Exact>;

const ZERO = new Exact(0);

interface Contribution {
  readonly quantity: Exact;
  readonly cumQty: Exact;
  readonly leavesQty: Exact;
  readonly notional: Exact | undefined;
  readonly filledNotional: Exact;
}

/** One row's part of the totals, computed once per row version. */
const contributions = new WeakMap<OrderView, Contribution>();

function contributionOf(order: OrderView): Contribution {
  let c = contributions.get(order);
  if (c === undefined) {
    const quantity = new Exact(order.quantity);
    const cumQty = new Exact(order.cumQty);
    const avgPx = new Exact(order.avgPx);
    const price = order.limitPrice !== undefined ? new Exact(order.limitPrice) : cumQty.isZero() ? undefined : avgPx;
    c = { quantity, cumQty, leavesQty: new Exact(order.leavesQty), notional: price === undefined ? undefined : quantity.times(price), filledNotional: cumQty.times(avgPx) };
    contributions.set(order, c);
  }
  return c;
}

/** An order's notional as the Notional column shows it (undefined: no price to value it at). */
export function orderNotional(order: OrderView): string | undefined {
  const notional = contributionOf(order).notional;
  return notional === undefined ? undefined : text(notional);
}

export function orderFilledNotional(order: OrderView): string {
  return text(contributionOf(order).filledNotional);
}

export interface OrderTotalsView {
  readonly count: number;
  readonly quantity: string;
  readonly cumQty: string;
  readonly leavesQty: string;
  readonly notional: string;
  readonly filledNotional: string;
  /** Orders with no price to value them at (market or stop, nothing filled). */
  readonly unpriced: number;
}

export class OrderTotals {
  private count = 0;
  private unpriced = 0;
  private quantity: Exact = ZERO;
  private cumQty: Exact = ZERO;
  private leavesQty: Exact = ZERO;
  private notional: Exact = ZERO;
  private filledNotional: Exact = ZERO;

  /** Totals of exactly these rows. */
  static of(rows: Iterable<OrderView>): OrderTotals {
    const totals = new OrderTotals();
    for (const row of rows) totals.add(row);
    return totals;
  }

  add(order: OrderView): void {
    this.move(order, 1);
  }

  remove(order: OrderView): void {
    this.move(order, -1);
  }

  /** `before` (if it was counted) leaves, `after` (if it counts) joins. */
  replace(before: OrderView | undefined, after: OrderView | undefined): void {
    if (before !== undefined) this.remove(before);
    if (after !== undefined) this.add(after);
  }

  view(): OrderTotalsView {
    return {
      count: this.count,
      quantity: text(this.quantity),
      cumQty: text(this.cumQty),
      leavesQty: text(this.leavesQty),
      notional: text(this.notional),
      filledNotional: text(this.filledNotional),
      unpriced: this.unpriced,
    };
  }

  private move(order: OrderView, sign: 1 | -1): void {
    const c = contributionOf(order);
    this.count += sign;
    const plus = (total: Exact, value: Exact) => (sign === 1 ? total.plus(value) : total.minus(value));
    this.quantity = plus(this.quantity, c.quantity);
    this.cumQty = plus(this.cumQty, c.cumQty);
    this.leavesQty = plus(this.leavesQty, c.leavesQty);
    this.filledNotional = plus(this.filledNotional, c.filledNotional);
    if (c.notional === undefined) this.unpriced += sign;
    else this.notional = plus(this.notional, c.notional);
  }
}

/** Plain decimal text (no exponent), "-0" as "0". */
function text(value: Exact): string {
  return value.isZero() ? '0' : value.toFixed();
}

/** The pinned totals row: the order columns that add up carry their totals; `orderId` says how many. */
export function totalsRow(totals: OrderTotalsView): OrderView {
  const count = `${totals.count.toLocaleString('en-US')} ${totals.count === 1 ? 'order' : 'orders'}`;
  return {
    orderId: totals.unpriced > 0 ? `${count} (${totals.unpriced} unpriced)` : count,
    quantity: totals.quantity,
    cumQty: totals.cumQty,
    leavesQty: totals.leavesQty,
    notional: totals.notional,
    filledNotional: totals.filledNotional,
  } as unknown as OrderView;
}
