import type { OrderView } from '../../../shared/contract/views';
import { fixed, fixedText as text, PLACES } from '../format/fixed-point';

/**
 * Exact totals of the orders a view shows (the pinned totals row): count, quantity, notional and
 * filled notional, never in binary floats.
 *
 *   notional         quantity × limit price; a market or stop order with fills: quantity × avg px;
 *                    one with neither has no price: counted in `unpriced`, not in the notional
 *   filled notional  cum qty × avg px
 *
 * Fixed point in BigInt: the contract's decimals have at most 12 places, so a quantity is an integer
 * count of 10⁻¹² and a product of two an integer count of 10⁻²⁴, and sums of them are exact whatever
 * their size. (decimal.js did the same exactly but cost ~5 µs a row: 0.5 s to recount 100,000 rows,
 * 160 ms a second of main thread at 5,000 fills a second; integers cost a small fraction of that.)
 * Kept up to date row by row (`replace`: the row's old version out, its new one in).
 */
interface Contribution {
  /** At 10⁻¹². */
  readonly quantity: bigint;
  readonly cumQty: bigint;
  readonly leavesQty: bigint;
  /** At 10⁻²⁴; undefined: no price to value the order at. */
  readonly notional: bigint | undefined;
  readonly filledNotional: bigint;
}

/** One row's part of the totals, computed once per row version. */
const contributions = new WeakMap<OrderView, Contribution>();

function contributionOf(order: OrderView): Contribution {
  let c = contributions.get(order);
  if (c === undefined) {
    const quantity = fixed(order.quantity) ?? 0n;
    const cumQty = fixed(order.cumQty) ?? 0n;
    const avgPx = fixed(order.avgPx) ?? 0n;
    const price = order.limitPrice !== undefined ? fixed(order.limitPrice) : cumQty === 0n ? undefined : avgPx;
    c = { quantity, cumQty, leavesQty: fixed(order.leavesQty) ?? 0n, notional: price === undefined ? undefined : quantity * price, filledNotional: cumQty * avgPx };
    contributions.set(order, c);
  }
  return c;
}

/** An order's notional as the Notional column shows it (undefined: no price to value it at). */
export function orderNotional(order: OrderView): string | undefined {
  const notional = contributionOf(order).notional;
  return notional === undefined ? undefined : text(notional, 2 * PLACES);
}

export function orderFilledNotional(order: OrderView): string {
  return text(contributionOf(order).filledNotional, 2 * PLACES);
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
  private quantity = 0n;
  private cumQty = 0n;
  private leavesQty = 0n;
  private notional = 0n;
  private filledNotional = 0n;

  /** Totals of exactly these rows. */
  static of(rows: Iterable<OrderView>): OrderTotals {
    const totals = new OrderTotals();
    for (const row of rows) totals.add(row);
    return totals;
  }

  add(order: OrderView): void {
    const c = contributionOf(order);
    this.count++;
    this.quantity += c.quantity;
    this.cumQty += c.cumQty;
    this.leavesQty += c.leavesQty;
    this.filledNotional += c.filledNotional;
    if (c.notional === undefined) this.unpriced++;
    else this.notional += c.notional;
  }

  remove(order: OrderView): void {
    const c = contributionOf(order);
    this.count--;
    this.quantity -= c.quantity;
    this.cumQty -= c.cumQty;
    this.leavesQty -= c.leavesQty;
    this.filledNotional -= c.filledNotional;
    if (c.notional === undefined) this.unpriced--;
    else this.notional -= c.notional;
  }

  /** `before` (if it was counted) leaves, `after` (if it counts) joins. */
  replace(before: OrderView | undefined, after: OrderView | undefined): void {
    if (before !== undefined) this.remove(before);
    if (after !== undefined) this.add(after);
  }

  view(): OrderTotalsView {
    return {
      count: this.count,
      quantity: text(this.quantity, PLACES),
      cumQty: text(this.cumQty, PLACES),
      leavesQty: text(this.leavesQty, PLACES),
      notional: text(this.notional, 2 * PLACES),
      filledNotional: text(this.filledNotional, 2 * PLACES),
      unpriced: this.unpriced,
    };
  }
}

/** The pinned totals row's id: one row, updated in place (a new id would redraw every row on screen). */
export const TOTALS_ROW_ID = 'totals';

/** The pinned totals row: the order columns that add up carry their totals; `totalsLabel` says how many. */
export function totalsRow(totals: OrderTotalsView): OrderView {
  const count = `${totals.count.toLocaleString('en-US')} ${totals.count === 1 ? 'order' : 'orders'}`;
  return {
    orderId: TOTALS_ROW_ID,
    totalsLabel: totals.unpriced > 0 ? `${count} (${totals.unpriced} unpriced)` : count,
    quantity: totals.quantity,
    cumQty: totals.cumQty,
    leavesQty: totals.leavesQty,
    notional: totals.notional,
    filledNotional: totals.filledNotional,
  } as unknown as OrderView;
}

/** What the Order ID cell of the totals row says. */
export function totalsLabel(row: OrderView | undefined): string {
  return (row as unknown as { totalsLabel?: string } | undefined)?.totalsLabel ?? '';
}
