import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import { Dec } from '../decimal/decimal';
import type { OrderBookView } from '../orders/order-book';
import { duplicateKey } from './pre-trade-checks';
import type { RiskLimitsStateView } from './risk-limits-state';
import { ZERO } from './risk-finding';
import type { TokenBucket } from './token-bucket';
import { taken } from './token-bucket';

type Gross = readonly [account: string, notional: Dec];
type OrderNotional = readonly [orderId: string, account: string, notional: Dec];
type Seen = readonly [key: string, atMs: string];
type Bucket = readonly [broker: string, tokens: string, atMs: string];

export interface RiskUsageView {
  /** The account's gross notional of orders sent today (base currency; amends add their increase). */
  dailyGross(account: string): Dec;
  /** Accounts with a gross notional today. */
  accounts(): readonly string[];
  /** The base-currency notional an order of today went out at (its latest amend's). */
  orderNotional(orderId: string): Dec | undefined;
  lastSameOrderMs(key: string): number | undefined;
  bucket(broker: string): TokenBucket | undefined;
}

/**
 * What the pre-trade checks count, folded from the journal (so a restarted desk counts the same):
 * each account's gross notional today, the notional of each of today's orders, when each
 * (account, side, instrument, quantity) last went out (the duplicate guard), and each broker's
 * order-rate bucket, taken at the events' own times (the desk's clock). A new trading day starts
 * the counts afresh. Folded after the limits (the buckets' rates are theirs).
 */
export class RiskUsage implements ReadModel<boolean, RiskUsageView, { gross: Gross; orders: OrderNotional; seen: Seen; buckets: Bucket }> {
  readonly name = 'riskUsage';
  readonly version = 1;
  readonly parts = { gross: GROSS_CODEC, orders: ORDER_CODEC, seen: SEEN_CODEC, buckets: BUCKET_CODEC };
  private gross = new Map<string, Gross>();
  private orderNotionals = new Map<string, OrderNotional>();
  private seen = new Map<string, Seen>();
  private buckets = new Map<string, Bucket>();
  readonly view: RiskUsageView;

  constructor(
    private readonly orders: OrderBookView,
    private readonly limits: { current(): RiskLimitsStateView },
  ) {
    this.view = {
      dailyGross: (account) => this.gross.get(account)?.[1] ?? ZERO,
      accounts: () => [...this.gross.keys()],
      orderNotional: (orderId) => this.orderNotionals.get(orderId)?.[2],
      lastSameOrderMs: (key) => {
        const seen = this.seen.get(key);
        return seen === undefined ? undefined : Number(seen[1]);
      },
      bucket: (broker) => {
        const b = this.buckets.get(broker);
        return b === undefined ? undefined : { tokens: Number(b[1]), atMs: Number(b[2]) };
      },
    };
  }

  /** True when a count changed. */
  apply(event: DeskEvent): boolean {
    switch (event.type) {
      case 'dayStarted':
        this.gross.clear();
        this.orderNotionals.clear();
        this.seen.clear();
        return true;
      case 'orderSubmitted': {
        const t = event.ticket;
        const atMs = Date.parse(event.at);
        const key = duplicateKey(t.account, t.side, event.instrument.id, new Dec(t.quantity));
        this.seen.set(key, [key, String(atMs)]);
        this.take(t.broker, atMs);
        const notional = event.risk?.notional;
        if (notional !== undefined) {
          this.addGross(t.account, new Dec(notional));
          this.orderNotionals.set(event.orderId, [event.orderId, t.account, new Dec(notional)]);
        }
        return true;
      }
      case 'replaceRequested': {
        const order = this.orders.get(event.orderId);
        if (order !== undefined) this.take(order.broker, Date.parse(event.at));
        const notional = event.risk?.notional;
        if (notional === undefined || order === undefined) return order !== undefined;
        const before = this.orderNotionals.get(event.orderId)?.[2];
        const now = new Dec(notional);
        const increase = before === undefined ? now : now.minus(before);
        if (increase.greaterThan(ZERO)) this.addGross(order.account, increase);
        this.orderNotionals.set(event.orderId, [event.orderId, order.account, now]);
        return true;
      }
      default:
        return false;
    }
  }

  capture() {
    return { gross: [...this.gross.values()], orders: [...this.orderNotionals.values()], seen: [...this.seen.values()], buckets: [...this.buckets.values()] };
  }

  restore(parts: { readonly gross: readonly Gross[]; readonly orders: readonly OrderNotional[]; readonly seen: readonly Seen[]; readonly buckets: readonly Bucket[] }): void {
    this.gross = new Map(parts.gross.map((g) => [g[0], g]));
    this.orderNotionals = new Map(parts.orders.map((o) => [o[0], o]));
    this.seen = new Map(parts.seen.map((s) => [s[0], s]));
    this.buckets = new Map(parts.buckets.map((b) => [b[0], b]));
  }

  private addGross(account: string, amount: Dec): void {
    this.gross.set(account, [account, (this.gross.get(account)?.[1] ?? ZERO).plus(amount)]);
  }

  private take(broker: string, atMs: number): void {
    const rate = this.limits.current().limits.brokerRates[broker];
    if (rate === undefined) {
      this.buckets.delete(broker);
      return;
    }
    const next = taken(this.view.bucket(broker), rate, atMs);
    this.buckets.set(broker, [broker, String(next.tokens), String(next.atMs)]);
  }
}

const GROSS_CODEC: PartCodec<Gross> = {
  entriesPerBlock: 1_024,
  write: (g, w) => {
    w.str(g[0]);
    w.dec(g[1]);
  },
  read: (r): Gross => [r.str(), r.dec()],
};

const ORDER_CODEC: PartCodec<OrderNotional> = {
  entriesPerBlock: 4_096,
  write: (o, w) => {
    w.inline(o[0]);
    w.str(o[1]);
    w.dec(o[2]);
  },
  read: (r): OrderNotional => [r.str(), r.str(), r.dec()],
};

const SEEN_CODEC: PartCodec<Seen> = {
  entriesPerBlock: 4_096,
  write: (s, w) => {
    w.inline(s[0]);
    w.inline(s[1]);
  },
  read: (r): Seen => [r.str(), r.str()],
};

const BUCKET_CODEC: PartCodec<Bucket> = {
  entriesPerBlock: 256,
  write: (b, w) => {
    w.str(b[0]);
    w.inline(b[1]);
    w.inline(b[2]);
  },
  read: (r): Bucket => [r.str(), r.str(), r.str()],
};
