import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import type { Dec} from '../decimal/decimal';
import { decimalString } from '../decimal/decimal';
import type { OrderBookView } from '../orders/order-book';
import type { PositionLookup } from './position-lookup';
import { ZERO } from './risk-finding';

type Position = readonly [key: string, quantity: Dec];
type Counted = readonly [orderId: string, cumQty: Dec];

/**
 * Interim positions for the risk checks, until the positions read model lands: each account's
 * signed executed quantity per instrument (buys up, sells and short sales down), from the orders'
 * CumQty as the book folds it (busts and corrections included). Starts at zero with the journal
 * (no start-of-day positions).
 */
export class FillPositions implements ReadModel<void, PositionLookup, { positions: Position; counted: Counted }> {
  readonly name = 'fillPositions';
  readonly version = 1;
  readonly parts = { positions: POSITION_CODEC, counted: COUNTED_CODEC };
  private positions = new Map<string, Position>();
  private counted = new Map<string, Counted>();
  readonly view: PositionLookup = { quantity: (account, instrumentId) => decimalString(this.positions.get(`${account}|${instrumentId}`)?.[1] ?? ZERO) };

  constructor(private readonly orders: OrderBookView) {}

  apply(event: DeskEvent): void {
    if (event.type === 'dayStarted') {
      for (const orderId of this.counted.keys()) if (this.orders.get(orderId) === undefined) this.counted.delete(orderId);
      return;
    }
    if (event.type !== 'executionReceived' && event.type !== 'orderAdopted') return;
    const order = this.orders.get(event.orderId);
    if (order === undefined) return;
    const before = this.counted.get(order.orderId)?.[1] ?? ZERO;
    if (order.cumQty.equals(before)) return;
    const change = order.cumQty.minus(before);
    const key = `${order.account}|${order.instrument.id}`;
    const signed = order.side === 'buy' ? change : change.negated();
    this.positions.set(key, [key, (this.positions.get(key)?.[1] ?? ZERO).plus(signed)]);
    this.counted.set(order.orderId, [order.orderId, order.cumQty]);
  }

  capture() {
    return { positions: [...this.positions.values()], counted: [...this.counted.values()] };
  }

  restore(parts: { readonly positions: readonly Position[]; readonly counted: readonly Counted[] }): void {
    this.positions = new Map(parts.positions.map((p) => [p[0], p]));
    this.counted = new Map(parts.counted.map((c) => [c[0], c]));
  }
}

const POSITION_CODEC: PartCodec<Position> = {
  entriesPerBlock: 1_024,
  write: (p, w) => {
    w.str(p[0]);
    w.dec(p[1]);
  },
  read: (r): Position => [r.str(), r.dec()],
};

const COUNTED_CODEC: PartCodec<Counted> = {
  entriesPerBlock: 4_096,
  write: (c, w) => {
    w.inline(c[0]);
    w.dec(c[1]);
  },
  read: (r): Counted => [r.str(), r.dec()],
};
