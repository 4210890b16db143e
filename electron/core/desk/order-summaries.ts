import type Database from 'better-sqlite3';
import type { OrderSearchPage, OrderSearchRequest, SearchMatch } from '../../../shared/contract/order-search';
import type { OrderView, PendingRequestView } from '../../../shared/contract/views';
import type { BlotterView } from '../../../shared/domain/blotter-views';
import { TERMINAL_STATUSES } from '../../../shared/domain/order-types';
import type { OrderStatus } from '../../../shared/domain/order-types';
import type { DeskEvent } from '../journal/desk-events';
import type { Order } from '../orders/order';
import type { BookChange } from '../orders/order-book';
import { orderView } from '../orders/order-views';
import { afterCommit, beforeCommit, commitBatch, onCommitFailed } from '../sqlite/commit-batch';
import type { Clock, TimerHandle } from '../time/clock';
import { systemClock } from '../time/clock';

/**
 * How far the summaries may lag the journal (ms, on the desk's clock): the orders changed since the
 * last write wait this long, then are written together, each once (a busy order, once, not once per socket read).
 */
export const SUMMARY_WRITE_MS = 250;
/** Written sooner, in the batch that passes it, when this many orders wait (one write's length, the memory held). */
export const SUMMARY_MAX_DUE = 5_000;
/**
 * The timer's write holds the thread at most about this long per transaction (ms of the thread's own
 * time, as the FIX session's slices), the rest in the next turn: 300 new orders' rows in one go held
 * the desk ~6 ms, and the round trip of the order behind them with it (bench: p99 1.65× the tree before).
 */
export const SUMMARY_SLICE_MS = 1;

/** A slice writes at least this many rows (progress whatever the machine's load). */
const SLICE_MIN_ROWS = 8;

/** An order an open batch changed, published when the batch commits. */
interface Touched {
  order: Order;
  /** The last event of the batch that changed it. */
  seq: number;
  /** Created by the batch (a new id: inserted, no UPDATE tried first). */
  readonly created: boolean;
  /** Its ClOrdIDs from this position on are new to the batch (the chain only grows). */
  readonly fromClOrdId: number;
}

/** An order whose row is not written yet: as its latest event left it. */
interface Due {
  readonly order: Order;
  /** Its view as published (none for an order caught up at start: built when written). */
  readonly view: OrderView | undefined;
  readonly seq: number;
  /** Created since its row was last written (no UPDATE tried first). */
  readonly created: boolean;
  /** Its ClOrdIDs from this position on are new since its row was last written. */
  readonly fromClOrdId: number;
}

/** `later` over `earlier` (the same order): the latest view and seq, created if either was, the earliest new ClOrdID. */
function merged(earlier: Due | undefined, later: Due): Due {
  if (earlier === undefined) return later;
  return { order: later.order, view: later.view, seq: later.seq, created: earlier.created || later.created, fromClOrdId: Math.min(earlier.fromClOrdId, later.fromClOrdId) };
}

function mergeInto(into: Map<string, Due>, later: Due): void {
  into.set(later.order.orderId, merged(into.get(later.order.orderId), later));
}

/**
 * The order summaries (journal migration 3): one row per order as the blotter shows it, a projection
 * of the journal (search across days, the history of orders rolled off the book), not the record.
 *
 * An order a batch changed is published once, at the batch's commit, as its last event left it (its
 * view handed to `written`: the screens). Its row is written later, coalesced: the orders changed
 * since the last write wait in `due` and are written together, inside a batch's transaction once
 * `SUMMARY_WRITE_MS` passed since the last write (or more than `SUMMARY_MAX_DUE` wait), or by a timer
 * when the desk goes quiet. So the summaries lag the journal by at most ~250 ms, are caught up at
 * start from `summaries_seq` (meta: every event up to it is in the table; `caughtUp`), and a
 * snapshot is never newer than them (the snapshotter's `beforeCapture` writes `due`). Every read
 * (`get`, `search`) writes `due` first, so it sees all that was journaled.
 */
export class OrderSummaries {
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly addClOrdId: Database.Statement;
  private readonly storeSeq: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly idsForClOrdId: Database.Statement;
  private readonly exists: Record<'symbol' | 'account' | 'broker', Database.Statement>;
  /** Search statements by their SQL (a few dozen shapes at most: which filters are present). */
  private readonly searches = new Map<string, Database.Statement>();
  /** The statements' parameters, filled for each write (bound at once: never kept). */
  private readonly rowValues: unknown[] = new Array<unknown>(COLUMN_GETTERS.length);
  private readonly updateRowValues: unknown[] = new Array<unknown>(UPDATE_GETTERS.length + 1);
  /** The orders the open batch changed, by id, in the order first changed (not published yet). */
  private touched = new Map<string, Touched>();
  /** Published by the open batch: its events are not committed yet (dropped if the commit fails). */
  private fresh = new Map<string, Due>();
  /** Committed, their rows not written yet. */
  private due = new Map<string, Due>();
  /** Taken from `due` and written in the open transaction: due again if its commit fails. */
  private writing = new Map<string, Due>();
  /** The open batch's commit is awaited (`settled`). */
  private settling = false;
  private lastWriteMs: number;
  /** The quiet desk's write (`start`): set while orders are due. */
  private timer: TimerHandle | undefined;
  private timed = false;
  /** A commit failed (a full disk): the timer waits for one to go through before it writes again. */
  private held = false;
  /** The timer's write is under way, a slice per turn. */
  private slicing = false;

  constructor(
    private readonly db: Database.Database,
    /** Hears each order as published, with its view, once the batch's last change to it is folded. */
    private readonly written: (view: OrderView, order: Order) => void = () => {},
    /** The clock of `SUMMARY_WRITE_MS` (the desk's). */
    private readonly clock: Clock = systemClock,
  ) {
    // A failed commit stored none of it: the batch's orders are read back from the journal; the rows
    // it was writing for earlier batches are due again.
    onCommitFailed(db, () => {
      this.touched.clear();
      this.fresh.clear();
      this.settling = false;
      this.held = true;
      if (this.writing.size === 0) return;
      const restored = this.writing;
      this.writing = new Map();
      for (const d of this.due.values()) mergeInto(restored, d);
      this.due = restored;
    });
    this.lastWriteMs = clock.now().getTime();
    const columns = SUMMARY_COLUMNS.join(', ');
    this.insert = db.prepare(`INSERT INTO order_summaries (${columns}) VALUES (${SUMMARY_COLUMNS.map(() => '?').join(', ')})`);
    this.update = db.prepare(`UPDATE order_summaries SET ${UPDATED_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE order_id = ?`);
    this.upsert = db.prepare(
      `INSERT INTO order_summaries (${columns}) VALUES (${SUMMARY_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (order_id) DO UPDATE SET ${UPDATED_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    this.addClOrdId = db.prepare('INSERT OR IGNORE INTO order_cl_ord_ids (cl_ord_id, order_id) VALUES (?, ?)');
    this.storeSeq = db.prepare(`INSERT OR REPLACE INTO meta (key, value) SELECT '${SEQ_KEY}', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM events`);
    this.byId = db.prepare(`SELECT ${columns} FROM order_summaries WHERE order_id = ?`);
    this.idsForClOrdId = db.prepare('SELECT order_id FROM order_cl_ord_ids WHERE cl_ord_id = ?').pluck();
    this.exists = {
      symbol: db.prepare('SELECT 1 FROM order_summaries WHERE symbol = ? LIMIT 1').pluck(),
      account: db.prepare('SELECT 1 FROM order_summaries WHERE account = ? LIMIT 1').pluck(),
      broker: db.prepare('SELECT 1 FROM order_summaries WHERE broker = ? LIMIT 1').pluck(),
    };
  }

  /** The journal's seq up to which every event is in the table (0: none written yet). */
  storedSeq(): number {
    const value = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(SEQ_KEY) as string | undefined;
    return value === undefined ? 0 : Number(value);
  }

  /**
   * Writes what waits when the desk goes quiet after a burst, in a transaction of its own, once nothing
   * was written for `SUMMARY_WRITE_MS`: a timer on the clock while orders are due (none while idle).
   */
  start(): void {
    this.timed = true;
    this.arm();
  }

  stop(): void {
    this.timed = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (!this.timed || this.held || this.timer !== undefined || this.due.size === 0) return;
    const wait = Math.max(0, SUMMARY_WRITE_MS - (this.clock.now().getTime() - this.lastWriteMs));
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        if (this.held || this.due.size === 0) return;
        if (this.slicing || this.clock.now().getTime() - this.lastWriteMs >= SUMMARY_WRITE_MS) commitBatch(this.db, this.writeSlice);
        else this.arm(); // a write since it was set: wait for the next
      },
      this.slicing ? 0 : wait,
      { background: true },
    );
  }

  /**
   * Writes an order as the event numbered `seq` left it; `clOrdIds`: every ClOrdID it has used, those
   * from `fromClOrdId` on new since its last write (the chain only grows). `created`: the event created
   * the order (a new order's id is new, so no UPDATE is tried first). Call inside a transaction.
   */
  write(view: OrderView, clOrdIds: readonly string[], seq: number, created = false, fromClOrdId = clOrdIds.length - 1): void {
    // An update first (nearly every write: a fill, an ack), an insert for a new order. Measured: an
    // INSERT … ON CONFLICT DO UPDATE cost a third more than the UPDATE it ends as; for an order the
    // event created, the UPDATE that finds nothing cost half an insert (2026-12-07), so it is not tried.
    if (created) this.upsert.run(this.summaryValues(view, seq));
    else if (this.update.run(this.updateValues(view, seq)).changes === 0) this.insert.run(this.summaryValues(view, seq));
    for (let i = Math.max(0, fromClOrdId); i < clOrdIds.length; i++) {
      const clOrdId = clOrdIds[i]!;
      if (clOrdId !== view.orderId) this.addClOrdId.run(clOrdId, view.orderId);
    }
  }

  /**
   * Every order the event numbered `seq` changed (the book's fold result): published when the open
   * batch commits (now, when none is open); its row written with the next write of `due`.
   */
  writeChanged(change: BookChange, seq: number, event: Pick<DeskEvent, 'type'>): void {
    // These events create their order under a new id (`<journal tag>-<seq>`).
    const created = isCreating(event);
    if (change.order !== undefined) this.touch(change.order, seq, created);
    if (change.orders !== undefined) for (const order of change.orders) this.touch(order, seq, false);
  }

  /** At start, an event after `storedSeq` replayed: its orders are due, not published (`writeDue` before the desk goes on). */
  caughtUp(change: BookChange, seq: number, event: Pick<DeskEvent, 'type'>): void {
    const due = (order: Order, created: boolean) => mergeInto(this.due, { order, view: undefined, seq, created, fromClOrdId: order.clOrdIds.length - 1 });
    if (change.order !== undefined) due(change.order, isCreating(event));
    if (change.orders !== undefined) for (const order of change.orders) due(order, false);
  }

  /** Publishes what the open batch changed so far (before a snapshot of the screens); rows are written later. */
  readonly flush = (): void => {
    if (this.touched.size === 0) return;
    const touched = this.touched;
    this.touched = new Map();
    for (const t of touched.values()) {
      const view = orderView(t.order);
      mergeInto(this.fresh, { order: t.order, view, seq: t.seq, created: t.created, fromClOrdId: t.fromClOrdId });
      this.written(view, t.order);
    }
    this.settle();
  };

  /**
   * Writes every row due now, and `summaries_seq`, inside the open batch (in a transaction of its
   * own when none is open): before a read, a snapshot, the stop; after the catch-up at start.
   */
  readonly writeDue = (): void => {
    commitBatch(this.db, () => {
      this.flush();
      this.writeAll();
    });
  };

  /**
   * At a batch's commit: published; once `SUMMARY_WRITE_MS` passed since the last write, a slice of the
   * rows due written with it (the rest by the next batch or the timer); all of them when too many wait.
   */
  private readonly finishBatch = (): void => {
    this.flush();
    const waiting = this.due.size + this.fresh.size;
    if (waiting > SUMMARY_MAX_DUE) commitBatch(this.db, this.writeAll);
    else if (waiting > 0 && (this.slicing || this.clock.now().getTime() - this.lastWriteMs >= SUMMARY_WRITE_MS)) commitBatch(this.db, this.writeSlice);
  };

  /**
   * Rows due (then what the open batch published), oldest first, each order once, for about
   * `SUMMARY_SLICE_MS` of the thread; the rest in the next turn. `summaries_seq` moves once none is
   * left (a snapshot's `writeDue` moves it too). Inside a transaction.
   */
  private readonly writeSlice = (): void => {
    const started = performance.now();
    let rows = 0;
    const enough = () => ++rows >= SLICE_MIN_ROWS && performance.now() - started >= SUMMARY_SLICE_MS;
    let full = false;
    for (const [id, d] of this.due) {
      const f = this.fresh.get(id);
      this.writeRow(f === undefined ? d : merged(d, f));
      this.due.delete(id);
      if (f !== undefined) this.fresh.delete(id);
      mergeInto(this.writing, d);
      if ((full = enough())) break;
    }
    if (!full)
      for (const [id, f] of this.fresh) {
        this.writeRow(f);
        this.fresh.delete(id);
        if (enough()) break;
      }
    this.slicing = this.due.size > 0 || this.fresh.size > 0;
    if (!this.slicing) {
      this.storeSeq.run();
      this.lastWriteMs = this.clock.now().getTime();
    }
    this.settle();
  };

  /** Writes `due` and what the open batch published (each order once), then `summaries_seq`. Inside a transaction. */
  private readonly writeAll = (): void => {
    for (const [id, d] of this.due) this.writeRow(merged(d, this.fresh.get(id) ?? d));
    for (const [id, f] of this.fresh) if (!this.due.has(id)) this.writeRow(f);
    this.storeSeq.run();
    for (const d of this.due.values()) mergeInto(this.writing, d);
    this.due = new Map();
    this.fresh = new Map();
    this.slicing = false;
    this.lastWriteMs = this.clock.now().getTime();
    this.settle();
  };

  private writeRow(d: Due): void {
    this.write(d.view ?? orderView(d.order), d.order.clOrdIds, d.seq, d.created, d.fromClOrdId);
  }

  /** Once the open batch commits: what it published is due, what it wrote is done. (A failed commit: the listener above.) */
  private settle(): void {
    if (this.settling) return;
    this.settling = true;
    afterCommit(this.db, () => {
      this.settling = false;
      this.held = false;
      if (this.writing.size > 0) this.writing = new Map();
      if (this.fresh.size > 0) {
        for (const f of this.fresh.values()) mergeInto(this.due, f);
        this.fresh = new Map();
      }
      this.arm();
    });
  }

  /** A read sees every event journaled: what waits is written first, inside the open batch if any (a full disk then fails it whole). */
  private writeForRead(): void {
    if (this.touched.size > 0 || this.fresh.size > 0 || this.due.size > 0) this.writeDue();
  }

  private touch(order: Order, seq: number, created: boolean): void {
    const known = this.touched.get(order.orderId);
    if (known !== undefined) {
      known.order = order;
      known.seq = seq;
      return;
    }
    const first = this.touched.size === 0;
    this.touched.set(order.orderId, { order, seq, created, fromClOrdId: order.clOrdIds.length - 1 });
    if (first) beforeCommit(this.db, this.finishBatch);
  }

  /** The row's values in column order (positional parameters: they bind faster than named ones), in an array reused per write. */
  private summaryValues(v: OrderView, seq: number): unknown[] {
    const values = this.rowValues;
    for (let i = 0; i < COLUMN_GETTERS.length; i++) values[i] = COLUMN_GETTERS[i]!(v, seq);
    return values;
  }

  /** The UPDATE's values: the rewritten columns, then the order id (an array reused per write). */
  private updateValues(v: OrderView, seq: number): unknown[] {
    const values = this.updateRowValues;
    for (let i = 0; i < UPDATE_GETTERS.length; i++) values[i] = UPDATE_GETTERS[i]!(v, seq);
    values[UPDATE_GETTERS.length] = v.orderId;
    return values;
  }

  /** The order as the journal last left it, whatever its day. */
  get(orderId: string): OrderView | undefined {
    this.writeForRead();
    const row = this.byId.get(orderId) as SummaryRow | undefined;
    return row === undefined ? undefined : viewOf(row);
  }

  search(request: OrderSearchRequest): OrderSearchPage {
    this.writeForRead();
    const text = request.text?.trim() ?? '';
    if (text !== '') {
      const found = this.findById(text);
      if (found !== undefined) return found;
    }
    const where: string[] = [];
    const params: unknown[] = [];
    let matchedBy: SearchMatch[] | undefined;
    if (text !== '') {
      matchedBy = (['symbol', 'account', 'broker'] as const).filter((field) => this.exists[field].get(text) !== undefined);
      if (matchedBy.length === 0) return { orders: [], matchedBy: [] };
      where.push(`(${matchedBy.map((field) => `${field} = ?`).join(' OR ')})`);
      for (let i = 0; i < matchedBy.length; i++) params.push(text);
    }
    for (const field of ['symbol', 'account', 'broker', 'side'] as const) {
      const value = request[field];
      if (value === undefined) continue;
      where.push(`${field} = ?`);
      params.push(value);
    }
    if (request.from !== undefined) {
      where.push('created_at >= ?');
      params.push(new Date(request.from).toISOString());
    }
    if (request.to !== undefined) {
      where.push('created_at < ?');
      params.push(new Date(request.to).toISOString());
    }
    const view = VIEW_WHERE[request.view];
    if (view !== '') where.push(view);
    if (request.cursor !== undefined) {
      const cursor = parseCursor(request.cursor);
      if (cursor === undefined) throw new SearchError('cursor is not one this desk gave out');
      where.push('(created_at, order_id) < (?, ?)');
      params.push(cursor.createdAt, cursor.orderId);
    }
    const sql =
      `SELECT ${SUMMARY_COLUMNS.join(', ')} FROM order_summaries` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY created_at DESC, order_id DESC LIMIT ?';
    // One more row than asked says whether there is a next page.
    let statement = this.searches.get(sql);
    if (statement === undefined) this.searches.set(sql, (statement = this.db.prepare(sql)));
    const rows = statement.all(...params, request.limit + 1) as SummaryRow[];
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    return {
      orders: page.map(viewOf),
      ...(rows.length > request.limit && last !== undefined && { nextCursor: `${last.created_at}|${last.order_id}` }),
      ...(matchedBy !== undefined && { matchedBy }),
    };
  }

  /** Orders named by their id or by any ClOrdID they used (exactly as typed, or in capitals). */
  private findById(text: string): OrderSearchPage | undefined {
    for (const id of new Set([text, text.toUpperCase()])) {
      const own = this.get(id);
      const others = (this.idsForClOrdId.all(id) as string[]).filter((orderId) => orderId !== id);
      const orders = [...(own !== undefined ? [own] : []), ...others.map((orderId) => this.get(orderId)).filter((o): o is OrderView => o !== undefined)];
      if (orders.length === 0) continue;
      const matchedBy: SearchMatch[] = [];
      if (own !== undefined) matchedBy.push('orderId');
      if (orders.length > (own !== undefined ? 1 : 0)) matchedBy.push('clOrdId');
      return { orders, matchedBy };
    }
    return undefined;
  }
}

/** A search the desk cannot run as asked (a cursor it never gave out): an INVALID_REQUEST. */
export class SearchError extends Error {
  override readonly name = 'SearchError';
}

const TERMINAL = [...TERMINAL_STATUSES].map((s) => `'${s}'`).join(', ');

/** The views as SQL ('attention' as the partial index of migration 3 reads, so the index applies). */
const VIEW_WHERE: Readonly<Record<BlotterView, string>> = {
  working: `status NOT IN (${TERMINAL})`,
  done: `status IN (${TERMINAL})`,
  all: '',
  rejected: "status = 'rejected'",
  attention: '(uncertain IS NOT NULL OR adopted = 1)',
};

function parseCursor(cursor: string): { createdAt: string; orderId: string } | undefined {
  const bar = cursor.indexOf('|');
  if (bar <= 0 || bar === cursor.length - 1) return undefined;
  const createdAt = cursor.slice(0, bar);
  if (Number.isNaN(Date.parse(createdAt))) return undefined;
  return { createdAt, orderId: cursor.slice(bar + 1) };
}

interface SummaryRow {
  readonly order_id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly broker: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: string;
  readonly order_type: string;
  readonly time_in_force: string;
  readonly expire_date: string | null;
  readonly quantity: string;
  readonly limit_price: string | null;
  readonly stop_price: string | null;
  readonly status: string;
  readonly cum_qty: string;
  readonly leaves_qty: string;
  readonly avg_px: string;
  readonly cl_ord_id: string;
  readonly live_cl_ord_id: string;
  readonly broker_order_id: string | null;
  readonly text: string | null;
  readonly pending: string | null;
  readonly uncertain: string | null;
  readonly adopted: number;
  readonly version: number;
  readonly seq: number;
  readonly instrument_id: string;
  readonly asset_class: string;
  readonly currency: string;
  readonly settl_date: string | null;
  readonly value_factor: string | null;
  readonly value_currency: string | null;
  readonly risk: string | null;
  readonly parent_id: string | null;
  readonly broker_algo: string | null;
}

/** What an order keeps for life: not rewritten on update. */
const FIXED_COLUMNS: ReadonlySet<keyof SummaryRow> = new Set(['order_id', 'created_at', 'broker', 'account', 'symbol', 'side', 'instrument_id', 'asset_class', 'currency', 'settl_date', 'value_factor', 'value_currency', 'parent_id', 'broker_algo']);

/**
 * Every field of the view, mapped to a column: adding a field to OrderView fails to compile until it
 * is mapped here (and `viewOf` reads it back).
 */
const VIEW_FIELDS: Record<keyof OrderView, keyof SummaryRow> = {
  orderId: 'order_id',
  clOrdId: 'cl_ord_id',
  liveClOrdId: 'live_cl_ord_id',
  brokerOrderId: 'broker_order_id',
  broker: 'broker',
  account: 'account',
  instrumentId: 'instrument_id',
  assetClass: 'asset_class',
  symbol: 'symbol',
  currency: 'currency',
  settlDate: 'settl_date',
  valueFactor: 'value_factor',
  valueCurrency: 'value_currency',
  side: 'side',
  orderType: 'order_type',
  timeInForce: 'time_in_force',
  expireDate: 'expire_date',
  quantity: 'quantity',
  limitPrice: 'limit_price',
  stopPrice: 'stop_price',
  status: 'status',
  cumQty: 'cum_qty',
  leavesQty: 'leaves_qty',
  avgPx: 'avg_px',
  pending: 'pending',
  text: 'text',
  risk: 'risk',
  uncertain: 'uncertain',
  adopted: 'adopted',
  parentId: 'parent_id',
  brokerAlgo: 'broker_algo',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  version: 'version',
};
void VIEW_FIELDS;

/** Each column's value for an order (at the event numbered `seq`); its keys, in order, are the columns. */
const COLUMN_VALUES: { readonly [K in keyof SummaryRow]: (v: OrderView, seq: number) => SummaryRow[K] } = {
  order_id: (v) => v.orderId,
  created_at: (v) => v.createdAt,
  updated_at: (v) => v.updatedAt,
  broker: (v) => v.broker,
  account: (v) => v.account,
  symbol: (v) => v.symbol,
  side: (v) => v.side,
  order_type: (v) => v.orderType,
  time_in_force: (v) => v.timeInForce,
  expire_date: (v) => v.expireDate ?? null,
  quantity: (v) => v.quantity,
  limit_price: (v) => v.limitPrice ?? null,
  stop_price: (v) => v.stopPrice ?? null,
  status: (v) => v.status,
  cum_qty: (v) => v.cumQty,
  leaves_qty: (v) => v.leavesQty,
  avg_px: (v) => v.avgPx,
  cl_ord_id: (v) => v.clOrdId,
  live_cl_ord_id: (v) => v.liveClOrdId,
  broker_order_id: (v) => v.brokerOrderId ?? null,
  text: (v) => v.text ?? null,
  risk: (v) => v.risk ?? null,
  pending: (v) => (v.pending === undefined ? null : JSON.stringify(v.pending)),
  uncertain: (v) => (v.uncertain === undefined ? null : JSON.stringify(v.uncertain)),
  adopted: (v) => (v.adopted === true ? 1 : 0),
  version: (v) => v.version,
  seq: (_, seq) => seq,
  instrument_id: (v) => v.instrumentId,
  asset_class: (v) => v.assetClass,
  currency: (v) => v.currency,
  settl_date: (v) => v.settlDate ?? null,
  value_factor: (v) => v.valueFactor ?? null,
  value_currency: (v) => v.valueCurrency ?? null,
  parent_id: (v) => v.parentId ?? null,
  broker_algo: (v) => v.brokerAlgo ?? null,
};
const SUMMARY_COLUMNS = Object.keys(COLUMN_VALUES) as ReadonlyArray<keyof SummaryRow>;
const COLUMN_GETTERS = SUMMARY_COLUMNS.map((column) => COLUMN_VALUES[column] as (v: OrderView, seq: number) => unknown);
/** What an update rewrites: all but what an order keeps for life (their index entries stay untouched). */
const UPDATED_COLUMNS = SUMMARY_COLUMNS.filter((c) => !FIXED_COLUMNS.has(c));
const UPDATE_GETTERS = UPDATED_COLUMNS.map((column) => COLUMN_VALUES[column] as (v: OrderView, seq: number) => unknown);


/** The view back from its row, with the optional fields absent (not undefined) as `orderView` makes them. */
function viewOf(r: SummaryRow): OrderView {
  return {
    orderId: r.order_id,
    clOrdId: r.cl_ord_id,
    liveClOrdId: r.live_cl_ord_id,
    ...(r.broker_order_id !== null && { brokerOrderId: r.broker_order_id }),
    broker: r.broker,
    account: r.account,
    instrumentId: r.instrument_id,
    assetClass: r.asset_class as OrderView['assetClass'],
    symbol: r.symbol,
    currency: r.currency,
    ...(r.settl_date !== null && { settlDate: r.settl_date }),
    ...(r.value_factor !== null && { valueFactor: r.value_factor }),
    ...(r.value_currency !== null && { valueCurrency: r.value_currency }),
    side: r.side as OrderView['side'],
    orderType: r.order_type as OrderView['orderType'],
    timeInForce: r.time_in_force as OrderView['timeInForce'],
    ...(r.expire_date !== null && { expireDate: r.expire_date }),
    quantity: r.quantity,
    ...(r.limit_price !== null && { limitPrice: r.limit_price }),
    ...(r.stop_price !== null && { stopPrice: r.stop_price }),
    status: r.status as OrderStatus,
    cumQty: r.cum_qty,
    leavesQty: r.leaves_qty,
    avgPx: r.avg_px,
    ...(r.pending !== null && { pending: JSON.parse(r.pending) as PendingRequestView }),
    ...(r.text !== null && { text: r.text }),
    ...(r.risk !== null && { risk: r.risk }),
    ...(r.uncertain !== null && { uncertain: JSON.parse(r.uncertain) as NonNullable<OrderView['uncertain']> }),
    ...(r.adopted === 1 && { adopted: true as const }),
    ...(r.parent_id !== null && { parentId: r.parent_id }),
    ...(r.broker_algo !== null && { brokerAlgo: r.broker_algo }),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** In `meta`: the journal's seq up to which every event is in the table. */
const SEQ_KEY = 'summaries_seq';

/** These events create their order under a new id (`<journal tag>-<seq>`). */
function isCreating(event: Pick<DeskEvent, 'type'>): boolean {
  return event.type === 'orderSubmitted' || event.type === 'orderDenied';
}
