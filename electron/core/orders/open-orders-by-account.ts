import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import { isOpen } from './order';
import type { OrderBookView } from './order-book';

type Open = readonly [account: string, orderId: string];

export interface OpenOrdersByAccountView {
  /** The ids of the account's open orders, oldest first. */
  of(account: string): readonly string[];
  /** Open orders per account. */
  counts(): ReadonlyMap<string, number>;
  /** The account's open orders (kept as they change: the pre-trade checks read it per order). */
  count(account: string): number;
  /** The ids of every open order, of all accounts. */
  ids(): IterableIterator<string>;
}

/**
 * Each account's open orders: a read model folded after the order book (the registry's order), so
 * it reads the order an event left. Its snapshot part is the (account, order) pairs.
 */
export class OpenOrdersByAccount implements ReadModel<void, OpenOrdersByAccountView, { open: Open }> {
  readonly name = 'openOrdersByAccount';
  readonly version = 1;
  readonly parts = { open: OPEN_CODEC };
  readonly view: OpenOrdersByAccountView;
  /** orderId → its (account, order) entry, while the order is open. */
  private open = new Map<string, Open>();
  private perAccount = new Map<string, number>();

  constructor(private readonly orders: OrderBookView) {
    this.view = {
      of: (account) => [...this.open.values()].filter((o) => o[0] === account).map((o) => o[1]),
      counts: () => {
        const counts = new Map<string, number>();
        for (const [account] of this.open.values()) counts.set(account, (counts.get(account) ?? 0) + 1);
        return counts;
      },
      count: (account) => this.perAccount.get(account) ?? 0,
      ids: () => this.open.keys(),
    };
  }

  apply(event: DeskEvent): void {
    if (event.type === 'dayStarted') {
      for (const [orderId] of this.open) if (this.orders.get(orderId) === undefined) this.remove(orderId);
      return;
    }
    if (!('orderId' in event) || event.orderId === undefined) return;
    const order = this.orders.get(event.orderId);
    if (order !== undefined && isOpen(order)) {
      if (!this.open.has(order.orderId)) {
        this.open.set(order.orderId, [order.account, order.orderId]);
        this.perAccount.set(order.account, (this.perAccount.get(order.account) ?? 0) + 1);
      }
    } else this.remove(event.orderId);
  }

  private remove(orderId: string): void {
    const entry = this.open.get(orderId);
    if (entry === undefined) return;
    this.open.delete(orderId);
    const left = (this.perAccount.get(entry[0]) ?? 1) - 1;
    if (left === 0) this.perAccount.delete(entry[0]);
    else this.perAccount.set(entry[0], left);
  }

  capture() {
    return { open: [...this.open.values()] };
  }

  restore(parts: { readonly open: readonly Open[] }): void {
    this.open = new Map(parts.open.map((o) => [o[1], o]));
    this.perAccount = new Map();
    for (const [account] of this.open.values()) this.perAccount.set(account, (this.perAccount.get(account) ?? 0) + 1);
  }
}

const OPEN_CODEC: PartCodec<Open> = {
  entriesPerBlock: 4_096,
  write: (o, w) => {
    w.str(o[0]);
    w.inline(o[1]);
  },
  read: (r): Open => [r.str(), r.str()],
};
