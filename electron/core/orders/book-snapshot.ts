import type { ExecType, OrderStatus, OrderType, Side, TimeInForce } from '../../../shared/domain/order-types';
import { EXEC_TYPES, ORDER_STATUSES, ORDER_TYPES, SIDES, TIME_IN_FORCES } from '../../../shared/domain/order-types';
import type { BlockReader, BlockWriter } from '../journal/snapshot-codec';
import { SnapshotFormatError } from '../journal/snapshot-codec';
import type { Fill, Order, PendingRequest } from './order';
import type { ExecutionRecord } from './order-views';
import { executionKey } from './order-views';

/**
 * The order book's part of a snapshot: every order with its fill ledger (exact decimals), the
 * ClOrdID and broker-OrderID indexes, the execution rows and the ExecIDs seen (the alert list is a
 * section of its own: desk/alert-log-snapshot.ts).
 * The ExecID → row index is rebuilt from the rows.
 *
 * Bump BOOK_SECTION_VERSION whenever this layout changes **or the fold changes meaning**
 * (`order.ts`, `order-state-table.ts`, `OrderBook.apply`): a snapshot is only as good as the code
 * that folded it, and one of another version is ignored (the desk replays the journal in full and
 * writes a fresh one). `book-snapshot.test.ts` pins a fingerprint of the fold to make that hard to miss.
 */
export const BOOK_SECTION_VERSION = 2;

/** Every field of these types must be listed here: adding one to `Order` without the codec fails to compile. */
const ORDER_FIELDS: Record<keyof Order, true> = {
  orderId: true, broker: true, account: true, symbol: true, side: true, orderType: true, timeInForce: true, expireDate: true,
  quantity: true, limitPrice: true, stopPrice: true, working: true, requests: true, pending: true, clOrdId: true, liveClOrdId: true,
  clOrdIds: true, brokerOrderId: true, fills: true, unseen: true, adjustment: true, voidedExecIds: true, cumQty: true, leavesQty: true,
  avgPx: true, text: true, overfilled: true, uncertain: true, statusCheck: true, newOrderTimedOut: true, adopted: true, createdAt: true,
  updatedAt: true, version: true,
};
const FILL_FIELDS: Record<keyof Fill, true> = { execId: true, quantity: true, price: true, state: true, endedBy: true, corrects: true };
const REQUEST_FIELDS: Record<keyof PendingRequest, true> = {
  kind: true, clOrdId: true, origClOrdId: true, acknowledged: true, sentAt: true, timedOut: true, quantity: true, limitPrice: true, stopPrice: true,
};
const EXECUTION_FIELDS: Record<keyof ExecutionRecord, true> = {
  execKey: true, execId: true, orderId: true, clOrdId: true, broker: true, account: true, symbol: true, side: true, execType: true,
  lastQty: true, lastPx: true, cumQty: true, avgPx: true, status: true, transactTime: true, receivedAt: true, state: true,
  endedBy: true, execRefId: true, reconciled: true,
};
/** Exported for the tests, which build a value of each type with every field set. */
export const SNAPSHOT_FIELDS = { order: ORDER_FIELDS, fill: FILL_FIELDS, request: REQUEST_FIELDS, execution: EXECUTION_FIELDS };

const SIDE_SET: ReadonlySet<Side> = new Set(SIDES);
const ORDER_TYPE_SET: ReadonlySet<OrderType> = new Set(ORDER_TYPES);
const TIF_SET: ReadonlySet<TimeInForce> = new Set(TIME_IN_FORCES);
const STATUS_SET: ReadonlySet<OrderStatus> = new Set(ORDER_STATUSES);
const EXEC_TYPE_SET: ReadonlySet<ExecType> = new Set(EXEC_TYPES);
const FILL_STATES: ReadonlySet<Fill['state']> = new Set(['active', 'busted', 'corrected']);
const REQUEST_KINDS: ReadonlySet<PendingRequest['kind']> = new Set(['cancel', 'replace']);
const EMPTY: readonly never[] = Object.freeze([]);

// Optional parts of an order, one bit each.
const HAS_UNSEEN = 1;
const HAS_ADJUSTMENT = 2;
const HAS_UNCERTAIN = 4;
const ADOPTED = 8;
const OVERFILLED = 16;
const PENDING_IS_LAST = 32;
const PENDING_OTHER = 64;
const HAS_STATUS_CHECK = 128;
const NEW_ORDER_TIMED_OUT = 256;
const ORDER_FLAGS = 511;

// Execution rows.
const EXEC_RECONCILED = 1;
const EXEC_KEY_OTHER = 2;
const EXEC_RECEIVED_IS_TRANSACT = 4;
const EXEC_SAME_ACCOUNT = 8;
const EXEC_SAME_SYMBOL = 16;
const EXEC_SAME_SIDE = 32;
const EXEC_FLAGS = 63;
/** How far back in an order's fills a row's ExecID is looked for (the fill is nearly always among the last). */
const FILL_LOOKBACK = 32;

/**
 * Orders and execution rows, written with references where a value repeats one the snapshot already
 * holds: an order's ClOrdIDs refer to its id and to each other, a row refers to its order (by its
 * position among the orders: ClOrdID, account, symbol, side). Identifiers and times are written as
 * they come (`inline`); repeated words (accounts, symbols, statuses, prices) through the block's
 * dictionary.
 */
export const BookCodec = {
  writeOrder(w: BlockWriter, o: Order): void {
    w.inline(o.orderId);
    w.u32(o.clOrdIds.length);
    for (const id of o.clOrdIds) {
      if (id === o.orderId) w.u32(1);
      else {
        w.u32(0);
        w.inline(id);
      }
    }
    idRef(w, o.clOrdId, o.clOrdIds);
    idRef(w, o.liveClOrdId, o.clOrdIds);
    w.str(o.broker);
    w.str(o.account);
    w.str(o.symbol);
    w.str(o.side);
    w.str(o.orderType);
    w.str(o.timeInForce);
    w.optStr(o.expireDate);
    w.dec(o.quantity);
    w.optDec(o.limitPrice);
    w.optDec(o.stopPrice);
    w.str(o.working);
    w.optInline(o.brokerOrderId);
    w.dec(o.cumQty);
    w.dec(o.leavesQty);
    w.dec(o.avgPx);
    w.optStr(o.text);
    w.inline(o.createdAt);
    if (o.updatedAt === o.createdAt) w.u32(1);
    else {
      w.u32(0);
      w.inline(o.updatedAt);
    }
    w.u32(o.version);
    const last = o.requests.at(-1);
    const flags =
      (o.unseen !== undefined ? HAS_UNSEEN : 0) |
      (o.adjustment !== undefined ? HAS_ADJUSTMENT : 0) |
      (o.uncertain !== undefined ? HAS_UNCERTAIN : 0) |
      (o.adopted === true ? ADOPTED : 0) |
      (o.overfilled ? OVERFILLED : 0) |
      (o.statusCheck !== undefined ? HAS_STATUS_CHECK : 0) |
      (o.newOrderTimedOut === true ? NEW_ORDER_TIMED_OUT : 0) |
      (o.pending === undefined ? 0 : o.pending === last ? PENDING_IS_LAST : PENDING_OTHER);
    w.u32(flags);
    if (o.unseen !== undefined) {
      w.dec(o.unseen.quantity);
      w.dec(o.unseen.notional);
    }
    if (o.adjustment !== undefined) {
      w.dec(o.adjustment.quantity);
      w.dec(o.adjustment.notional);
    }
    if (o.uncertain !== undefined) {
      w.str(o.uncertain.reason);
      w.inline(o.uncertain.since);
      w.optStr(o.uncertain.label);
    }
    if (o.statusCheck !== undefined) {
      w.u32(o.statusCheck.failures);
      w.str(o.statusCheck.lastFailure);
      w.inline(o.statusCheck.at);
    }
    if (o.pending !== undefined && o.pending !== last) writeRequest(w, o.pending, o.clOrdIds);
    w.u32(o.requests.length);
    for (const r of o.requests) writeRequest(w, r, o.clOrdIds);
    w.u32(o.voidedExecIds.length);
    for (const id of o.voidedExecIds) w.inline(id);
    w.u32(o.fills.length);
    for (const f of o.fills) {
      w.inline(f.execId);
      w.dec(f.quantity);
      w.dec(f.price);
      w.str(f.state);
      w.optInline(f.endedBy);
      w.optInline(f.corrects);
    }
  },

  readOrder(r: BlockReader): Order {
    const orderId = r.str();
    const clOrdIds: string[] = new Array(r.count());
    for (let i = 0; i < clOrdIds.length; i++) clOrdIds[i] = r.u32() === 1 ? orderId : r.str();
    const clOrdId = readIdRef(r, clOrdIds);
    const liveClOrdId = readIdRef(r, clOrdIds);
    const broker = r.str();
    const account = r.str();
    const symbol = r.str();
    const side = r.oneOf(SIDE_SET);
    const orderType = r.oneOf(ORDER_TYPE_SET);
    const timeInForce = r.oneOf(TIF_SET);
    const expireDate = r.optStr();
    const quantity = r.dec();
    const limitPrice = r.optDec();
    const stopPrice = r.optDec();
    const working = r.oneOf(STATUS_SET);
    const brokerOrderId = r.optStr();
    const cumQty = r.dec();
    const leavesQty = r.dec();
    const avgPx = r.dec();
    const text = r.optStr();
    const createdAt = r.str();
    const updatedAt = r.u32() === 1 ? createdAt : r.str();
    const version = r.u32();
    const flags = r.u32();
    if (flags > ORDER_FLAGS) throw new SnapshotFormatError(`unknown order flags ${flags}`);
    const unseen = flags & HAS_UNSEEN ? { quantity: r.dec(), notional: r.dec() } : undefined;
    const adjustment = flags & HAS_ADJUSTMENT ? { quantity: r.dec(), notional: r.dec() } : undefined;
    const uncertain = flags & HAS_UNCERTAIN ? readUncertain(r) : undefined;
    const statusCheck = flags & HAS_STATUS_CHECK ? { failures: r.u32(), lastFailure: r.str(), at: r.str() } : undefined;
    let pending = flags & PENDING_OTHER ? readRequest(r, clOrdIds) : undefined;
    // Empty lists are one shared frozen array: orders are immutable, a change makes a new list.
    const requestCount = r.count();
    const requests: readonly PendingRequest[] = requestCount === 0 ? EMPTY : Array.from({ length: requestCount }, () => readRequest(r, clOrdIds));
    if (flags & PENDING_IS_LAST) pending = requests.at(-1);
    const voidedCount = r.count();
    const voidedExecIds: readonly string[] = voidedCount === 0 ? EMPTY : Array.from({ length: voidedCount }, () => r.str());
    const fillCount = r.count();
    let fills: readonly Fill[] = EMPTY;
    if (fillCount > 0) {
      const list: Fill[] = new Array(fillCount);
      for (let i = 0; i < fillCount; i++) list[i] = { execId: r.str(), quantity: r.dec(), price: r.dec(), state: r.oneOf(FILL_STATES), endedBy: r.optStr(), corrects: r.optStr() };
      fills = list;
    }
    // Every field present (absent ones undefined): one object shape for all restored orders. Orders
    // are read field by field, never serialised, so an undefined field and a missing one are the same.
    const order: Order = {
      orderId,
      broker,
      account,
      symbol,
      side,
      orderType,
      timeInForce,
      expireDate,
      quantity,
      limitPrice,
      stopPrice,
      working,
      requests,
      pending,
      clOrdId,
      liveClOrdId,
      clOrdIds,
      brokerOrderId,
      fills,
      unseen,
      adjustment,
      voidedExecIds,
      cumQty,
      leavesQty,
      avgPx,
      text,
      overfilled: (flags & OVERFILLED) !== 0,
      uncertain,
      statusCheck,
      newOrderTimedOut: flags & NEW_ORDER_TIMED_OUT ? true : undefined,
      adopted: flags & ADOPTED ? true : undefined,
      createdAt,
      updatedAt,
      version,
    };
    return order;
  },

  /** A row, and its order with the order's position among the orders of the snapshot (when it has one). */
  writeExecution(w: BlockWriter, e: ExecutionRecord, order: Order | undefined, position: number | undefined): void {
    if (position === undefined || order === undefined) {
      w.u32(0);
      w.inline(e.orderId);
    } else w.u32(position + 1);
    const keyIsDerived = e.execKey === executionKey(e.broker, e.execId);
    const sameAccount = order !== undefined && e.account === order.account;
    const sameSymbol = order !== undefined && e.symbol === order.symbol;
    const sameSide = order !== undefined && e.side === order.side;
    const receivedIsTransact = e.transactTime !== undefined && e.receivedAt === e.transactTime;
    w.u32(
      (e.reconciled === true ? EXEC_RECONCILED : 0) |
        (keyIsDerived ? 0 : EXEC_KEY_OTHER) |
        (receivedIsTransact ? EXEC_RECEIVED_IS_TRANSACT : 0) |
        (sameAccount ? EXEC_SAME_ACCOUNT : 0) |
        (sameSymbol ? EXEC_SAME_SYMBOL : 0) |
        (sameSide ? EXEC_SAME_SIDE : 0),
    );
    // The ExecID as the order's fill that has it (fills never move or go: the reference holds), else written out.
    let fill = -1;
    if (order !== undefined) {
      const fills = order.fills;
      for (let i = fills.length - 1; i >= 0 && i >= fills.length - FILL_LOOKBACK; i--) {
        if ((fills[i] as Fill).execId === e.execId) {
          fill = i;
          break;
        }
      }
    }
    w.u32(fill + 1);
    if (fill < 0) w.inline(e.execId);
    if (!keyIsDerived) w.inline(e.execKey);
    idRef(w, e.clOrdId, order?.clOrdIds ?? []);
    w.str(e.state);
    w.optInline(e.execRefId);
    w.str(e.broker);
    if (!sameAccount) w.str(e.account);
    if (!sameSymbol) w.str(e.symbol);
    if (!sameSide) w.str(e.side);
    w.str(e.execType);
    w.str(e.lastQty);
    w.str(e.lastPx);
    w.str(e.cumQty);
    w.str(e.avgPx);
    w.str(e.status);
    w.optInline(e.transactTime);
    if (!receivedIsTransact) w.inline(e.receivedAt);
    w.optInline(e.endedBy);
  },

  readExecution(r: BlockReader, orders: readonly Order[]): ExecutionRecord {
    const position = r.u32();
    const order = position === 0 ? undefined : orders[position - 1];
    if (position !== 0 && order === undefined) throw new SnapshotFormatError(`order ${position - 1} out of range`);
    const orderId = order === undefined ? r.str() : order.orderId;
    const flags = r.u32();
    if (flags > EXEC_FLAGS) throw new SnapshotFormatError(`unknown execution flags ${flags}`);
    const fill = r.u32();
    let execId: string;
    if (fill === 0) execId = r.str();
    else {
      const f = order?.fills[fill - 1];
      if (f === undefined) throw new SnapshotFormatError(`fill ${fill - 1} of a row's order out of range`);
      execId = f.execId;
    }
    const otherKey = flags & EXEC_KEY_OTHER ? r.str() : undefined;
    const clOrdId = readIdRef(r, order?.clOrdIds ?? []);
    const state = r.oneOf(FILL_STATES);
    const execRefId = r.optStr();
    const broker = r.str();
    const account = flags & EXEC_SAME_ACCOUNT && order !== undefined ? order.account : r.str();
    const symbol = flags & EXEC_SAME_SYMBOL && order !== undefined ? order.symbol : r.str();
    const side = flags & EXEC_SAME_SIDE && order !== undefined ? order.side : r.oneOf(SIDE_SET);
    const execType = r.oneOf(EXEC_TYPE_SET);
    const lastQty = r.str();
    const lastPx = r.str();
    const cumQty = r.str();
    const avgPx = r.str();
    const status = r.oneOf(STATUS_SET);
    const transactTime = r.optStr();
    const receivedAt = flags & EXEC_RECEIVED_IS_TRANSACT && transactTime !== undefined ? transactTime : r.str();
    const endedBy = r.optStr();
    const execKey = otherKey ?? executionKey(broker, execId);
    // Rows cross the contract: the same fields in the same order as `executionView` makes them (the usual row in one literal).
    if (execRefId === undefined && transactTime !== undefined && (flags & EXEC_RECONCILED) === 0 && endedBy === undefined) {
      return { state, execKey, execId, orderId, clOrdId, broker, account, symbol, side, execType, lastQty, lastPx, cumQty, avgPx, status, transactTime, receivedAt };
    }
    return {
      state,
      ...(execRefId !== undefined && { execRefId }),
      execKey,
      execId,
      orderId,
      clOrdId,
      broker,
      account,
      symbol,
      side,
      execType,
      lastQty,
      lastPx,
      cumQty,
      avgPx,
      status,
      ...(transactTime !== undefined && { transactTime }),
      receivedAt,
      ...((flags & EXEC_RECONCILED) !== 0 && { reconciled: true as const }),
      ...(endedBy !== undefined && { endedBy }),
    };
  },
};

/** A ClOrdID as its place in the order's list (+1), or 0 and the text when it is not in it. */
function idRef(w: BlockWriter, id: string, ids: readonly string[]): void {
  const at = ids.lastIndexOf(id);
  if (at >= 0) w.u32(at + 1);
  else {
    w.u32(0);
    w.inline(id);
  }
}

function readIdRef(r: BlockReader, ids: readonly string[]): string {
  const at = r.u32();
  if (at === 0) return r.str();
  const id = ids[at - 1];
  if (id === undefined) throw new SnapshotFormatError(`ClOrdID reference ${at} out of range`);
  return id;
}

function writeRequest(w: BlockWriter, r: PendingRequest, ids: readonly string[]): void {
  w.str(r.kind);
  idRef(w, r.clOrdId, ids);
  idRef(w, r.origClOrdId, ids);
  w.bool(r.acknowledged);
  w.inline(r.sentAt);
  w.bool(r.timedOut === true);
  w.optDec(r.quantity);
  w.optDec(r.limitPrice);
  w.optDec(r.stopPrice);
}

function readRequest(r: BlockReader, ids: readonly string[]): PendingRequest {
  return {
    kind: r.oneOf(REQUEST_KINDS),
    clOrdId: readIdRef(r, ids),
    origClOrdId: readIdRef(r, ids),
    acknowledged: r.bool(),
    sentAt: r.str(),
    timedOut: r.bool() ? true : undefined,
    quantity: r.optDec(),
    limitPrice: r.optDec(),
    stopPrice: r.optDec(),
  };
}

/** The uncertain mark, with the label only when it has one (as the fold makes it). */
function readUncertain(r: BlockReader): NonNullable<Order['uncertain']> {
  const reason = r.str();
  const since = r.str();
  const label = r.optStr();
  return label === undefined ? { reason, since } : { reason, since, label };
}
