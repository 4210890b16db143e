import type { Instrument } from '../../../shared/domain/instrument';
import type { AssetClass, ExecType, OrderStatus, OrderType, Side, TimeInForce } from '../../../shared/domain/order-types';
import { ASSET_CLASSES, EXEC_TYPES, ORDER_STATUSES, ORDER_TYPES, SIDES, TIME_IN_FORCES } from '../../../shared/domain/order-types';
import type { PartCodec } from '../journal/read-model';
import type { BlockReader, BlockWriter } from '../journal/snapshot-codec';
import { SnapshotFormatError } from '../journal/snapshot-codec';
import type { Fill, FillList, Order, PendingRequest } from './order';
import type { ExecutionRecord } from './order-views';
import { executionKey } from './order-views';
import type { ExecIdList } from './exec-id-list';
import { AppendOnlyList } from './append-only-list';

/**
 * How the order book's parts are kept in snapshots (orders/order-book.ts): every order with its fill
 * ledger (exact decimals: negative zero kept) and its ExecIDs, and the latest execution rows.
 * Identifiers and times are written as they come (`inline`); repeated words (accounts, symbols,
 * statuses, prices) through the block's dictionary; an order's ClOrdIDs and ExecIDs refer to its own.
 *
 * A change here or in what the book's fold means (`order.ts`, `order-state-table.ts`,
 * `OrderBook.apply`) bumps ORDER_BOOK_VERSION: a snapshot is only as good as the code that folded
 * it. `order-book.test.ts` pins a fingerprint of those files to make that hard to miss.
 */

/** Every field of these types must be listed here: adding one to `Order` without the codec fails to compile. */
const ORDER_FIELDS: Record<keyof Order, true> = {
  orderId: true, broker: true, account: true, instrument: true, tradeDate: true, settlDate: true, side: true, orderType: true, timeInForce: true, expireDate: true,
  quantity: true, limitPrice: true, stopPrice: true, working: true, requests: true, pending: true, clOrdId: true, liveClOrdId: true,
  clOrdIds: true, brokerOrderId: true, fills: true, unseen: true, adjustment: true, voidedExecIds: true, execIds: true, cumQty: true,
  leavesQty: true, avgPx: true, text: true, risk: true, overfilled: true, uncertain: true, statusCheck: true, newOrderTimedOut: true, adopted: true,
  parentId: true, brokerAlgo: true, createdAt: true, updatedAt: true, version: true,
};
const FILL_FIELDS: Record<keyof Fill, true> = { execId: true, quantity: true, price: true, state: true, endedBy: true, corrects: true };
const REQUEST_FIELDS: Record<keyof PendingRequest, true> = {
  kind: true, clOrdId: true, origClOrdId: true, acknowledged: true, sentAt: true, timedOut: true, quantity: true, limitPrice: true, stopPrice: true,
};
const EXECUTION_FIELDS: Record<keyof ExecutionRecord, true> = {
  execKey: true, execId: true, orderId: true, clOrdId: true, broker: true, account: true, instrumentId: true, assetClass: true, symbol: true,
  currency: true, side: true, execType: true,
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
const ASSET_CLASS_SET: ReadonlySet<AssetClass> = new Set(ASSET_CLASSES);
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * An order's instrument terms are written whole, as JSON through the block's dictionary (the orders
 * of one instrument share one entry); read back, the orders of one instrument share one object.
 */
const instrumentTexts = new WeakMap<Instrument, string>();
const instrumentsRead = new Map<string, Instrument>();

function instrumentText(instrument: Instrument): string {
  let text = instrumentTexts.get(instrument);
  if (text === undefined) {
    text = JSON.stringify(instrument);
    instrumentTexts.set(instrument, text);
  }
  return text;
}

function instrumentOf(text: string): Instrument {
  let instrument = instrumentsRead.get(text);
  if (instrument === undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SnapshotFormatError("an order's instrument is not JSON");
    }
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Instrument).id !== 'string' || !ASSET_CLASS_SET.has((parsed as Instrument).assetClass)) {
      throw new SnapshotFormatError("an order's instrument has no id or asset class");
    }
    instrument = Object.freeze(parsed as Instrument);
    if (instrumentsRead.size >= 10_000) instrumentsRead.clear();
    instrumentsRead.set(text, instrument);
    instrumentTexts.set(instrument, text);
  }
  return instrument;
}

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
const EXEC_FLAGS = 7;

/** An order, with references where a value repeats one of its own (its ClOrdIDs, its fills' ExecIDs). */
export const ORDER_CODEC: PartCodec<Order> = {
  entriesPerBlock: 1_024,
  write(o: Order, w: BlockWriter): void {
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
    w.str(instrumentText(o.instrument));
    w.str(o.tradeDate);
    w.optStr(o.settlDate);
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
    w.optStr(o.risk);
    w.optInline(o.parentId);
    w.optStr(o.brokerAlgo);
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
    // Its ExecIDs: a fill's by its place among the fills, the others (acks, cancels…) written out.
    w.u32(o.execIds.length);
    for (const id of o.execIds) {
      const fill = fillIndex(o.fills, id);
      w.u32(fill + 1);
      if (fill < 0) w.inline(id);
    }
  },

  read(r: BlockReader): Order {
    const orderId = r.str();
    const clOrdIds: string[] = new Array(r.count());
    for (let i = 0; i < clOrdIds.length; i++) clOrdIds[i] = r.u32() === 1 ? orderId : r.str();
    const clOrdId = readIdRef(r, clOrdIds);
    const liveClOrdId = readIdRef(r, clOrdIds);
    const broker = r.str();
    const account = r.str();
    const instrument = instrumentOf(r.str());
    const tradeDate = r.str();
    const settlDate = r.optStr();
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
    const risk = r.optStr();
    const parentId = r.optStr();
    const brokerAlgo = r.optStr();
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
    const fillList: Fill[] = new Array(fillCount);
    for (let i = 0; i < fillCount; i++) fillList[i] = { execId: r.str(), quantity: r.dec(), price: r.dec(), state: r.oneOf(FILL_STATES), endedBy: r.optStr(), corrects: r.optStr() };
    const fills: FillList = AppendOnlyList.of(fillList);
    const execIdCount = r.count();
    let execIds: ExecIdList = AppendOnlyList.empty();
    if (execIdCount > 0) {
      const list: string[] = new Array(execIdCount);
      for (let i = 0; i < execIdCount; i++) {
        const fill = r.u32();
        if (fill === 0) list[i] = r.str();
        else {
          const f = fillList[fill - 1];
          if (f === undefined) throw new SnapshotFormatError(`fill ${fill - 1} of an order's ExecIDs out of range`);
          list[i] = f.execId;
        }
      }
      execIds = AppendOnlyList.of(list);
    }
    // Every field present (absent ones undefined): one object shape for all restored orders. Orders
    // are read field by field, never serialised, so an undefined field and a missing one are the same.
    const order: Order = {
      orderId,
      broker,
      account,
      instrument,
      tradeDate,
      settlDate,
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
      execIds,
      cumQty,
      leavesQty,
      avgPx,
      text,
      risk,
      overfilled: (flags & OVERFILLED) !== 0,
      uncertain,
      statusCheck,
      newOrderTimedOut: flags & NEW_ORDER_TIMED_OUT ? true : undefined,
      adopted: flags & ADOPTED ? true : undefined,
      parentId,
      brokerAlgo,
      createdAt,
      updatedAt,
      version,
    };
    return order;
  },
};

/** An execution row, whole (the rows kept are the latest few thousand). */
export const ROW_CODEC: PartCodec<ExecutionRecord> = {
  entriesPerBlock: 2_048,
  write(e: ExecutionRecord, w: BlockWriter): void {
    const keyIsDerived = e.execKey === executionKey(e.broker, e.execId);
    const receivedIsTransact = e.transactTime !== undefined && e.receivedAt === e.transactTime;
    w.u32((e.reconciled === true ? EXEC_RECONCILED : 0) | (keyIsDerived ? 0 : EXEC_KEY_OTHER) | (receivedIsTransact ? EXEC_RECEIVED_IS_TRANSACT : 0));
    w.inline(e.execId);
    if (!keyIsDerived) w.inline(e.execKey);
    w.inline(e.orderId);
    w.inline(e.clOrdId);
    w.str(e.state);
    w.optInline(e.execRefId);
    w.str(e.broker);
    w.str(e.account);
    w.str(e.instrumentId);
    w.str(e.assetClass);
    w.str(e.symbol);
    w.str(e.currency);
    w.str(e.side);
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
  read(r: BlockReader): ExecutionRecord {
    const flags = r.u32();
    if (flags > EXEC_FLAGS) throw new SnapshotFormatError(`unknown execution flags ${flags}`);
    const execId = r.str();
    const otherKey = flags & EXEC_KEY_OTHER ? r.str() : undefined;
    const orderId = r.str();
    const clOrdId = r.str();
    const state = r.oneOf(FILL_STATES);
    const execRefId = r.optStr();
    const broker = r.str();
    const account = r.str();
    const instrumentId = r.str();
    const assetClass = r.oneOf(ASSET_CLASS_SET);
    const symbol = r.str();
    const currency = r.str();
    const side = r.oneOf(SIDE_SET);
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
    // Rows cross the contract: the same fields in the same order as `executionView` makes them.
    return {
      state,
      ...(execRefId !== undefined && { execRefId }),
      execKey,
      execId,
      orderId,
      clOrdId,
      broker,
      account,
      instrumentId,
      assetClass,
      symbol,
      currency,
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

/** The place of a fill with this ExecID among the order's fills (searched from the newest), or -1. */
function fillIndex(fills: FillList, execId: string): number {
  for (let i = fills.length - 1; i >= 0; i--) if ((fills.at(i) as Fill).execId === execId) return i;
  return -1;
}

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
