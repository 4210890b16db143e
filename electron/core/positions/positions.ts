import type { Instrument } from '../../../shared/domain/instrument';
import { Dec, ZERO } from '../decimal/decimal';
import type { DeskEvent, StartOfDayImported } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import { SnapshotFormatError } from '../journal/snapshot-codec';
import type { Fill, FillList, Order } from '../orders/order';
import { ledgerTotals } from '../orders/order';
import type { OrderBookView } from '../orders/order-book';
import type { Holding } from './average-cost';
import { trade } from './average-cost';
import type { PositionLookup } from './position-lookup';
import { positionKey } from './position-key';

/** One account's position in one instrument, as the fold leaves it (immutable: a change is a new object). */
export interface PositionState {
  readonly key: string;
  readonly account: string;
  /** As the first order (or the start-of-day file) described it. */
  readonly instrument: Instrument;
  readonly startQuantity: Dec;
  /** The start of day's cost, in price units (quantity × its price). */
  readonly startCost: Dec;
  /** Start of day plus today's surviving fills, by average cost. */
  readonly holding: Holding;
  /** Today's traded quantities (positive), surviving fills only. */
  readonly bought: Dec;
  readonly sold: Dec;
}

export interface PositionsView extends PositionLookup {
  get(key: string): PositionState | undefined;
  all(): IterableIterator<PositionState>;
  /** The orders whose fills make today's part of the position (and those carried over that count in it), oldest first. */
  ordersOf(key: string): readonly string[];
  readonly size: number;
}

/** What the fold counted of an order: one fill, or the broker's totals beyond the fills (`execId` BROKER_TOTALS). Signed like the trade. */
export type Counted = readonly [key: string, orderId: string, execId: string, quantity: Dec, cash: Dec, carried: boolean];

/** A position the desk holds: its instrument and start of day. */
export type Held = readonly [key: string, account: string, instrument: Instrument, startQuantity: Dec, startCost: Dec];

/** The quantity a status report (or a restatement) says beyond the fills seen, at the broker's average price. */
export const BROKER_TOTALS = '~broker';
/** A fill counted before today's roll, busted today: reversed at its own price. */
const REVERSAL = '~reversal';

/** What a position's fold reached: in a snapshot, so a restore does not fold today's fills again. */
type Figures = Pick<PositionState, 'key' | 'holding' | 'bought' | 'sold'>;

type Parts = { held: Held; today: Counted; carried: Counted; positions: Figures };

interface OrderTrack {
  readonly key: string;
  readonly counted: Map<string, Counted>;
  /** The order's fills array when last looked at, and the active quantity counted of it (not in snapshots: a full look after a restore). */
  fills?: FillList;
  activeQuantity?: Dec;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Positions per account × instrument: a read model folded after the order book (it reads the order an
 * event left). A position is its start of day plus the surviving fills of today's orders, by average
 * cost (average-cost.ts) in the order they were journaled. Whatever changes an order's fills counts:
 * a fill, a bust (the fill leaves and the position is folded again without it), a correction, fills a
 * status report learned (the broker's totals beyond the fills seen). A new day (`dayStarted`) makes
 * each position its own start of day; a start-of-day file replaces them all.
 *
 * Parts: the positions held (instrument and start of day), today's counted fills in journal order
 * (the positions are a fold of them), the fills of carried-over orders counted before the roll
 * (so a bust of one reverses it), and each position's figures as that fold left them (a restore
 * takes them rather than folding the day again). What it returns is the keys of the positions that changed.
 */
export class Positions implements ReadModel<readonly string[], PositionsView, Parts> {
  readonly name = 'positions';
  readonly version = 2;
  readonly parts = { held: HELD_CODEC, today: COUNTED_CODEC, carried: COUNTED_CODEC, positions: FIGURES_CODEC };
  readonly view: PositionsView;

  private held = new Map<string, Held>();
  private positions = new Map<string, PositionState>();
  /** Today's counted fills, in journal order. */
  private today: Counted[] = [];
  private tracks = new Map<string, OrderTrack>();

  /** `day`: the trading day, once one started (an order of an earlier day counted its fills then). */
  constructor(
    private readonly orders: OrderBookView,
    private readonly day: () => string | undefined,
  ) {
    const size = () => this.positions.size;
    this.view = {
      get: (key) => this.positions.get(key),
      all: () => this.positions.values(),
      quantity: (account, instrumentId) => this.positions.get(positionKey(account, instrumentId))?.holding.quantity.toFixed() ?? '0',
      ordersOf: (key) => {
        const ids: string[] = [];
        for (const [orderId, t] of this.tracks) if (t.key === key && t.counted.size > 0) ids.push(orderId);
        // The tracks' order is not kept by a snapshot: sorted, the answer is the same after a restore.
        return ids.sort();
      },
      get size() {
        return size();
      },
    };
  }

  apply(event: DeskEvent): readonly string[] {
    switch (event.type) {
      case 'dayStarted':
        return this.roll();
      case 'startOfDayImported':
        return this.importStart(event);
      default: {
        if (!('orderId' in event) || event.orderId === undefined) return NONE;
        const order = this.orders.get(event.orderId);
        return order === undefined ? NONE : this.reconcile(order, event);
      }
    }
  }

  /** Counts what changed in the order's fills since it was last looked at. */
  private reconcile(order: Order, event: DeskEvent): readonly string[] {
    let t = this.tracks.get(order.orderId);
    const broker = brokerTotals(order);
    if (t === undefined) {
      if (order.fills.length === 0 && broker === undefined) return NONE;
      t = { key: positionKey(order.account, order.instrument.id), counted: new Map() };
      this.tracks.set(order.orderId, t);
      const day = this.day();
      if (day !== undefined && order.tradeDate < day) this.seedEarlierDay(t, order, event);
    }
    const key = t.key;
    let changed = false;
    let refold = false;
    const from = this.unchangedPrefix(t, order.fills);
    for (let i = from; i < order.fills.length; i++) {
      const f = order.fills.at(i) as Fill;
      const counted = t.counted.get(f.execId);
      if (f.state === 'active' && counted === undefined) {
        this.count(order, t, f.execId, f.quantity, f.quantity.times(f.price));
        changed = true;
      } else if (f.state !== 'active' && counted !== undefined) {
        refold = this.uncount(order, t, counted) || refold;
        changed = true;
      }
    }
    const before = t.counted.get(BROKER_TOTALS);
    if (!sameTotals(before, broker)) {
      if (before !== undefined) refold = this.uncount(order, t, before) || refold;
      if (broker !== undefined) this.count(order, t, BROKER_TOTALS, broker.quantity, broker.cash);
      changed = true;
    }
    t.fills = order.fills;
    t.activeQuantity = ledgerTotals(order.fills, undefined).cumQty;
    if (!changed) return NONE;
    if (refold) this.refold(key);
    return [key];
  }

  /**
   * Where to start looking at an order's fills: past those seen last time when the only change is
   * fills appended (the active quantity grew by exactly theirs, and none corrects another), else 0.
   */
  private unchangedPrefix(t: OrderTrack, fills: FillList): number {
    const seen = t.fills;
    if (seen === undefined || t.activeQuantity === undefined) return 0;
    if (seen === fills) return fills.length;
    if (fills.length < seen.length || (seen.length > 0 && fills.at(seen.length - 1) !== seen.at(seen.length - 1))) return 0;
    let expected = t.activeQuantity;
    for (let i = seen.length; i < fills.length; i++) {
      const f = fills.at(i) as Fill;
      if (f.corrects !== undefined) return 0;
      if (f.state === 'active') expected = expected.plus(f.quantity);
    }
    return ledgerTotals(fills, undefined).cumQty.equals(expected) ? seen.length : 0;
  }

  /**
   * An order of an earlier day taken back from the journal (a late bust, a late fill): what it held
   * before this event was counted then, in a start of day. The event's own fill is today's; a fill it
   * ended was active before it.
   */
  private seedEarlierDay(t: OrderTrack, order: Order, event: DeskEvent): void {
    const execId = event.type === 'executionReceived' ? event.report.execId : undefined;
    const sign = signOf(order);
    for (const f of order.fills) {
      const wasActive = f.execId !== execId && (f.state === 'active' || f.endedBy === execId);
      if (wasActive) t.counted.set(f.execId, [t.key, order.orderId, f.execId, sign(f.quantity), sign(f.quantity.times(f.price)), true]);
    }
    const broker = brokerTotals(order);
    if (broker !== undefined) t.counted.set(BROKER_TOTALS, [t.key, order.orderId, BROKER_TOTALS, broker.quantity, broker.cash, true]);
  }

  /** Counts a fill (quantity and cash as the order's side signs them; broker totals come signed). */
  private count(order: Order, t: OrderTrack, execId: string, quantity: Dec, cash: Dec): void {
    const sign = execId === BROKER_TOTALS ? same : signOf(order);
    const entry: Counted = [t.key, order.orderId, execId, sign(quantity), sign(cash), false];
    t.counted.set(execId, entry);
    this.today.push(entry);
    this.fold(entry, order.account, order.instrument);
  }

  /** Takes a counted fill back: today's leaves the fold (true: refold the position); one counted before today is reversed. */
  private uncount(order: Order, t: OrderTrack, entry: Counted): boolean {
    t.counted.delete(entry[2]);
    if (entry[5]) {
      const reversal: Counted = [t.key, order.orderId, `${entry[2]}${REVERSAL}`, entry[3].negated(), entry[4].negated(), false];
      t.counted.set(reversal[2], reversal);
      this.today.push(reversal);
      this.fold(reversal, order.account, order.instrument);
      return false;
    }
    const i = this.today.indexOf(entry);
    if (i >= 0) this.today.splice(i, 1);
    return true;
  }

  /** Folds a counted fill into its position, held from now on if it was not (a position is in `positions` exactly when it is in `held`). */
  private fold(entry: Counted, account: string, instrument: Instrument): void {
    const key = entry[0];
    let p = this.positions.get(key);
    if (p === undefined) {
      const held: Held = [key, account, instrument, ZERO, ZERO];
      this.held.set(key, held);
      p = startOf(held);
    }
    this.positions.set(key, withTrade(p, entry));
  }

  /** The position again from its start of day and today's surviving fills, in order. */
  private refold(key: string): void {
    const held = this.held.get(key);
    if (held === undefined) return;
    let p = startOf(held);
    for (const e of this.today) if (e[0] === key) p = withTrade(p, e);
    this.positions.set(key, p);
  }

  /** A new day: each position becomes its own start of day; what the orders still working counted is carried. */
  private roll(): readonly string[] {
    const changed = [...this.positions.keys()];
    const held = new Map<string, Held>();
    for (const [key, h] of this.held) {
      const p = this.positions.get(key) as PositionState;
      if (!p.holding.quantity.isZero()) held.set(key, [key, h[1], h[2], p.holding.quantity, p.holding.cost]);
    }
    const tracks = new Map<string, OrderTrack>();
    for (const [orderId, t] of this.tracks) {
      if (this.orders.get(orderId) === undefined) continue;
      const counted = new Map<string, Counted>();
      for (const [execId, c] of t.counted) counted.set(execId, c[5] ? c : [c[0], c[1], c[2], c[3], c[4], true]);
      tracks.set(orderId, { key: t.key, counted });
    }
    this.held = held;
    this.tracks = tracks;
    this.today = [];
    this.refoldAll();
    return changed;
  }

  /** The file's positions replace every start of day; today's fills count on top. */
  private importStart(event: StartOfDayImported): readonly string[] {
    const changed = new Set(this.positions.keys());
    const held = new Map<string, Held>();
    for (const [key, h] of this.held) held.set(key, [key, h[1], h[2], ZERO, ZERO]);
    for (const p of event.positions) {
      const key = positionKey(p.account, p.instrument.id);
      const quantity = new Dec(p.quantity);
      held.set(key, [key, p.account, held.get(key)?.[2] ?? p.instrument, quantity, quantity.times(p.price)]);
      changed.add(key);
    }
    const traded = new Set(this.today.map((e) => e[0]));
    for (const [key, h] of held) if (h[3].isZero() && !traded.has(key)) held.delete(key);
    this.held = held;
    this.refoldAll();
    return [...changed];
  }

  private refoldAll(): void {
    const positions = new Map<string, PositionState>();
    for (const [key, h] of this.held) positions.set(key, startOf(h));
    for (const e of this.today) {
      const p = positions.get(e[0]);
      if (p !== undefined) positions.set(e[0], withTrade(p, e));
    }
    this.positions = positions;
  }

  capture() {
    const carried: Counted[] = [];
    for (const t of this.tracks.values()) for (const c of t.counted.values()) if (c[5]) carried.push(c);
    // The positions themselves (immutable: an unchanged one is the same object, its block not encoded again).
    return { held: [...this.held.values()], today: [...this.today], carried, positions: [...this.positions.values()] as Figures[] };
  }

  restore(parts: { readonly held: readonly Held[]; readonly today: readonly Counted[]; readonly carried: readonly Counted[]; readonly positions: readonly Figures[] }): void {
    this.held = new Map(parts.held.map((h) => [h[0], h]));
    this.today = [...parts.today];
    this.tracks = new Map();
    for (const c of [...parts.carried, ...parts.today]) {
      let t = this.tracks.get(c[1]);
      if (t === undefined) {
        t = { key: c[0], counted: new Map() };
        this.tracks.set(c[1], t);
      }
      t.counted.set(c[2], c);
    }
    for (const e of this.today) if (!this.held.has(e[0])) throw new SnapshotFormatError(`positions: a fill of ${e[0]}, a position not held`);
    const figures = new Map(parts.positions.map((f) => [f.key, f]));
    if (figures.size !== this.held.size) throw new SnapshotFormatError(`positions: figures of ${figures.size} positions, ${this.held.size} held`);
    const positions = new Map<string, PositionState>();
    for (const [key, h] of this.held) {
      const f = figures.get(key);
      if (f === undefined) throw new SnapshotFormatError(`positions: no figures for ${key}, a position held`);
      positions.set(key, { key, account: h[1], instrument: h[2], startQuantity: h[3], startCost: h[4], holding: f.holding, bought: f.bought, sold: f.sold });
    }
    this.positions = positions;
  }
}

function startOf(h: Held): PositionState {
  return { key: h[0], account: h[1], instrument: h[2], startQuantity: h[3], startCost: h[4], holding: { quantity: h[3], cost: h[4], realised: ZERO }, bought: ZERO, sold: ZERO };
}

/** The position after one counted fill: a new object of the same shape (the fold's one allocation per fill, beside the holding). */
function withTrade(p: PositionState, e: Counted): PositionState {
  const q = e[3];
  const sell = q.isNegative();
  return {
    key: p.key,
    account: p.account,
    instrument: p.instrument,
    startQuantity: p.startQuantity,
    startCost: p.startCost,
    holding: trade(p.holding, q, e[4]),
    bought: sell ? p.bought : p.bought.plus(q),
    sold: sell ? p.sold.minus(q) : p.sold,
  };
}

function signOf(order: Order): (d: Dec) => Dec {
  return order.side === 'buy' ? same : negated;
}

const same = (d: Dec): Dec => d;
const negated = (d: Dec): Dec => d.negated();

/** The order's quantity and cash beyond its fills (status reports, restatements), signed; undefined when none. */
function brokerTotals(order: Order): { quantity: Dec; cash: Dec } | undefined {
  if (order.unseen === undefined && order.adjustment === undefined) return undefined;
  const quantity = (order.unseen?.quantity ?? ZERO).plus(order.adjustment?.quantity ?? ZERO);
  const cash = (order.unseen?.notional ?? ZERO).plus(order.adjustment?.notional ?? ZERO);
  if (quantity.isZero() && cash.isZero()) return undefined;
  return order.side === 'buy' ? { quantity, cash } : { quantity: quantity.negated(), cash: cash.negated() };
}

function sameTotals(counted: Counted | undefined, totals: { quantity: Dec; cash: Dec } | undefined): boolean {
  if (counted === undefined || totals === undefined) return counted === undefined && totals === undefined;
  return counted[3].equals(totals.quantity) && counted[4].equals(totals.cash);
}

const HELD_CODEC: PartCodec<Held> = {
  entriesPerBlock: 1_024,
  write: (h, w) => {
    w.inline(h[0]);
    w.str(h[1]);
    w.str(JSON.stringify(h[2]));
    w.dec(h[3]);
    w.dec(h[4]);
  },
  read: (r): Held => {
    const key = r.str();
    const account = r.str();
    const text = r.str();
    let instrument: Instrument;
    try {
      instrument = JSON.parse(text) as Instrument;
    } catch {
      throw new SnapshotFormatError('positions: an instrument that is not JSON');
    }
    if (typeof instrument !== 'object' || instrument === null || typeof instrument.id !== 'string') throw new SnapshotFormatError('positions: not an instrument');
    return [key, account, instrument, r.dec(), r.dec()];
  },
};

const FIGURES_CODEC: PartCodec<Figures> = {
  entriesPerBlock: 1_024,
  write: (p, w) => {
    w.inline(p.key);
    w.dec(p.holding.quantity);
    w.dec(p.holding.cost);
    w.dec(p.holding.realised);
    w.dec(p.bought);
    w.dec(p.sold);
  },
  read: (r): Figures => ({ key: r.str(), holding: { quantity: r.dec(), cost: r.dec(), realised: r.dec() }, bought: r.dec(), sold: r.dec() }),
};

const COUNTED_CODEC: PartCodec<Counted> = {
  entriesPerBlock: 4_096,
  write: (c, w) => {
    w.str(c[0]);
    w.inline(c[1]);
    w.inline(c[2]);
    w.dec(c[3]);
    w.dec(c[4]);
    w.bool(c[5]);
  },
  read: (r): Counted => [r.str(), r.str(), r.str(), r.dec(), r.dec(), r.bool()],
};
