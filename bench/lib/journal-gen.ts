import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ExecutionReportMessage } from '../../electron/core/broker/broker-port';
import { AlertLog } from '../../electron/core/alerts/alert-log';
import { DeliveredExecutions, deskSnapshotSections } from '../../electron/core/desk/drop-copy';
import { OrderSummaries } from '../../electron/core/desk/order-summaries';
import type { DeskEvent } from '../../electron/core/journal/desk-events';
import { migrate } from '../../electron/core/journal/migrations';
import type { SnapshotPolicy, SnapshotWriteFigures } from '../../electron/core/journal/snapshots';
import { Snapshotter } from '../../electron/core/journal/snapshots';
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
import { silentLogger } from '../../electron/core/log/logger';
import { OrderBook } from '../../electron/core/orders/order-book';
import { orderView } from '../../electron/core/orders/order-views';

/**
 * Writes a desk journal as a desk that had run the day would have: every event appended through
 * `SqliteJournal` (in batches, as the desk does per socket read), folded into the desk's own
 * order book and drop-copy memory and written to its order summaries (desk-context.ts#record), with
 * the desk's snapshot policy (`Snapshotter`,
 * `DEFAULT_SNAPSHOT_POLICY`: a snapshot every N events, checked after each batch) and a snapshot at
 * the end, as at a clean stop. The events themselves are generated here, so recovery and blotter
 * benchmarks start from a realistic history without sending it all over FIX first.
 */
export interface GeneratedJournal {
  readonly path: string;
  readonly events: number;
  readonly orders: number;
  readonly tag: string;
  /** Size of the database file (events and snapshots). */
  readonly bytes: number;
  /** Every snapshot written, oldest first: the periodic ones, then the one at the clean stop. */
  readonly snapshots: readonly SnapshotWriteFigures[];
}

export interface JournalOptions {
  /** Brokers with a drop copy in the desk configuration that will read this journal (its snapshots depend on it). */
  readonly dropCopyBrokers?: readonly string[];
  /** Snapshot policy; the desk's own by default. */
  readonly policy?: Partial<SnapshotPolicy>;
  /** End as a desk that stopped cleanly (a snapshot of the last state). Default true. */
  readonly cleanStop?: boolean;
}

const SOH_SHOWN = '|';
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'] as const;
const BASE_MS = Date.UTC(2026, 10, 27, 8, 0, 0);
/** Events per journal transaction, like one busy read from a broker socket. */
const BATCH = 1_000;

class Writer {
  private readonly journal: SqliteJournal;
  private book = new OrderBook();
  private readonly delivered: DeliveredExecutions;
  private readonly alerts = new AlertLog();
  private snapshotter: Snapshotter;
  private readonly summaries: OrderSummaries;
  private pending: DeskEvent[] = [];
  readonly snapshots: SnapshotWriteFigures[] = [];
  count = 0;

  constructor(
    readonly path: string,
    tag: string,
    private readonly options: JournalOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // The journal tag first (SqliteJournal keeps an existing one): ClOrdIDs are `<tag>-<n>`.
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db);
    db.prepare("INSERT INTO meta (key, value) VALUES ('journal_tag', ?)").run(tag);
    db.close();
    this.journal = new SqliteJournal(path, { syncIntervalMs: 0 });
    this.delivered = new DeliveredExecutions(options.dropCopyBrokers ?? []);
    this.summaries = new OrderSummaries(this.journal.db);
    this.snapshotter = new Snapshotter(this.journal, deskSnapshotSections(this.book, this.delivered, this.alerts), { log: silentLogger, policy: options.policy ?? {} });
  }

  add(event: DeskEvent): void {
    this.pending.push(event);
    if (this.pending.length >= BATCH) this.flush();
  }

  /** One transaction of appends, each folded as it is appended (the desk's write-ahead rule); then the policy's check. */
  flush(): void {
    const events = this.pending;
    this.pending = [];
    this.journal.batch(() => {
      for (const e of events) this.record(e);
    });
    this.count += events.length;
    if (this.snapshotter.due()) this.snapshot();
  }

  /** What `record` does, less publishing (and the alerts it would journal): journal, folds, the summaries of the orders it changed. */
  private record(event: DeskEvent): void {
    const seq = this.journal.append(event);
    const change = this.book.apply(event, seq);
    this.delivered.rememberEvent(event);
    this.alerts.apply(event, seq);
    for (const order of change.order !== undefined ? [change.order, ...(change.orders ?? [])] : (change.orders ?? [])) {
      this.summaries.write(orderView(order), order.clOrdIds, seq);
    }
  }

  /**
   * A new trading day: the live book starts empty, as after the start-of-day roll (orders done before
   * today live on in the journal and its order summaries only). Each day's orders are its own here.
   */
  newDay(): void {
    this.flush();
    this.book = new OrderBook();
    this.snapshotter.stop();
    this.snapshotter = new Snapshotter(this.journal, deskSnapshotSections(this.book, this.delivered, this.alerts), { log: silentLogger, policy: this.options.policy ?? {} });
  }

  close(nextClOrdId: number): number {
    this.flush();
    if (this.options.cleanStop ?? true) this.snapshot();
    this.journal.close();
    const db = new Database(this.path);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_cl_ord_id', ?)").run(String(nextClOrdId));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    db.close();
    return pages * size;
  }

  private snapshot(): void {
    const figures = this.snapshotter.writeNow();
    if (figures !== undefined) this.snapshots.push(figures);
  }
}

interface Draft {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly steps: Array<(at: string) => DeskEvent>;
}

let execCounter = 0;

function report(
  broker: string,
  d: Draft,
  clOrdId: string,
  fields: { execType: ExecutionReportMessage['execType']; ordStatus: ExecutionReportMessage['ordStatus']; cum: number; lastQty?: number; origClOrdId?: string; qty?: number },
  at: string,
): ExecutionReportMessage {
  const execId = `${broker}-E${++execCounter}`;
  const qty = fields.qty ?? d.qty;
  const px = '190.25';
  const leaves = fields.ordStatus === 'canceled' || fields.ordStatus === 'rejected' ? 0 : qty - fields.cum;
  const fixTime = at.replace(/[-:]/g, '').replace('T', '-').replace('Z', '');
  const raw =
    `8=FIX.4.4|9=250|35=8|34=${execCounter + 1}|49=${broker}|52=${fixTime}|56=MERIDIAN|6=${fields.cum > 0 ? px : '0'}|11=${clOrdId}|14=${fields.cum}|` +
    `17=${execId}|31=${px}|32=${fields.lastQty ?? 0}|37=${broker}-O${d.orderId}|38=${qty}|39=x|54=${d.side === 'buy' ? 1 : 2}|55=${d.symbol}|60=${fixTime}|150=x|151=${leaves}|10=123|`;
  return {
    type: 'executionReport',
    execId,
    execType: fields.execType,
    ordStatus: fields.ordStatus,
    clOrdId,
    ...(fields.origClOrdId !== undefined && { origClOrdId: fields.origClOrdId }),
    brokerOrderId: `${broker}-O${d.orderId}`,
    symbol: d.symbol,
    side: d.side,
    orderQty: String(qty),
    limitPrice: '190.50',
    ...(fields.lastQty !== undefined && { lastQty: String(fields.lastQty), lastPx: px }),
    cumQty: String(fields.cum),
    leavesQty: String(leaves),
    avgPx: fields.cum > 0 ? px : '0',
    transactTime: at,
    possDup: false,
    seqNum: execCounter + 1,
    raw: raw.split('|').join(SOH_SHOWN),
  };
}

/**
 * A trading day's mix, order by order (events of different orders interleaved): 55% filled in three
 * partial fills, 20% canceled, 10% amended then filled, 10% left working, 5% rejected by the broker.
 */
function draftOrder(broker: string, tag: string, n: number, kind: number, qty: number, symbols: readonly string[] = SYMBOLS): Draft {
  const orderId = `${tag}-${n}`;
  const d: Draft = { orderId, symbol: symbols[n % symbols.length] as string, side: n % 2 === 0 ? 'buy' : 'sell', qty, steps: [] } as Draft;
  d.steps.push((at) => ({
    type: 'orderSubmitted',
    at,
    orderId,
    clOrdId: orderId,
    ticket: { symbol: d.symbol, side: d.side, quantity: String(qty), orderType: 'limit', limitPrice: '190.50', timeInForce: 'day', account: 'FUND-ALPHA', broker },
  }));
  if (kind < 5) {
    d.steps.push((at) => ({ type: 'executionReceived', at, orderId, broker, report: report(broker, d, orderId, { execType: 'rejected', ordStatus: 'rejected', cum: 0 }, at) }));
    return d;
  }
  d.steps.push((at) => ({ type: 'executionReceived', at, orderId, broker, report: report(broker, d, orderId, { execType: 'new', ordStatus: 'new', cum: 0 }, at) }));
  if (kind < 15) return d; // working
  if (kind < 35) {
    const cancelId = `${orderId}c`;
    d.steps.push((at) => ({ type: 'cancelRequested', at, orderId, clOrdId: cancelId, origClOrdId: orderId }));
    d.steps.push((at) => ({ type: 'executionReceived', at, orderId, broker, report: report(broker, d, cancelId, { execType: 'canceled', ordStatus: 'canceled', cum: 0, origClOrdId: orderId }, at) }));
    return d;
  }
  let live = orderId;
  let total = qty;
  if (kind < 45) {
    const replaceId = `${orderId}r`;
    total = qty * 2;
    d.steps.push((at) => ({ type: 'replaceRequested', at, orderId, clOrdId: replaceId, origClOrdId: orderId, quantity: String(total), limitPrice: '190.50' }));
    d.steps.push((at) => ({ type: 'executionReceived', at, orderId, broker, report: report(broker, d, replaceId, { execType: 'replaced', ordStatus: 'new', cum: 0, origClOrdId: orderId, qty: total }, at) }));
    live = replaceId;
  }
  const third = Math.floor(total / 3);
  const fills = [third, third, total - 2 * third];
  let cum = 0;
  fills.forEach((lastQty, i) => {
    const cumAfter = (cum += lastQty);
    const done = i === fills.length - 1;
    d.steps.push((at) => ({
      type: 'executionReceived',
      at,
      orderId,
      broker,
      report: report(broker, d, live, { execType: 'trade', ordStatus: done ? 'filled' : 'partiallyFilled', cum: cumAfter, lastQty, qty: total }, at),
    }));
  });
  return d;
}

/** About `targetEvents` events over as many orders as that takes, ~1,000 orders in flight at a time. */
export function generateMixedJournal(path: string, targetEvents: number, broker = 'SIM-A', tag = 'BENCH', options: JournalOptions = {}): GeneratedJournal {
  const writer = new Writer(path, tag, options);
  const active: Draft[] = [];
  let n = 0;
  let t = BASE_MS;
  let produced = 0;
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  while (produced < targetEvents) {
    while (active.length < 1_000 && produced + active.length * 4 < targetEvents + 4_000) {
      n++;
      active.push(draftOrder(broker, tag, n, n % 100, 300 + (n % 7) * 100));
    }
    if (active.length === 0) break;
    const i = Math.floor(random() * active.length);
    const d = active[i] as Draft;
    const step = d.steps.shift() as (at: string) => DeskEvent;
    t += 7;
    writer.add(step(new Date(t).toISOString()));
    produced++;
    if (d.steps.length === 0) {
      active[i] = active[active.length - 1] as Draft;
      active.pop();
    }
  }
  const bytes = writer.close(n + 1);
  return { path, events: writer.count, orders: n, tag, bytes, snapshots: writer.snapshots };
}

/** `orders` open orders (submitted and acknowledged), ClOrdIDs `<tag>-1..<tag>-orders`, oldest first. */
export function generateOpenOrdersJournal(path: string, orders: number, broker: string, tag: string, qty: number, options: JournalOptions = {}): GeneratedJournal {
  const writer = new Writer(path, tag, options);
  let t = BASE_MS;
  for (let n = 1; n <= orders; n++) {
    const d = draftOrder(broker, tag, n, 10, qty);
    for (const step of d.steps) writer.add(step(new Date((t += 3)).toISOString()));
  }
  const bytes = writer.close(orders + 1);
  return { path, events: writer.count, orders, tag, bytes, snapshots: writer.snapshots };
}

/** `symbols` instruments named S000, S001…: what a desk trading a list of names has (the search bench filters by one). */
export function symbolList(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `S${String(i).padStart(3, '0')}`);
}

/**
 * `days` trading days of `ordersPerDay` orders each (the day's mix of generateMixedJournal, ~4.5
 * events an order, over `symbols`), the last day ending at `lastDay` 16:00 UTC; each day from 08:00
 * UTC on. Each day starts with an empty live book (the start-of-day roll), so memory stays one day's.
 * No periodic snapshots (only the one at the clean stop, of the last day's book): this journal serves
 * searches across days, not recovery figures.
 */
export function generateDaysJournal(path: string, options: { days: number; ordersPerDay: number; symbols: readonly string[]; lastDay: string; broker?: string; tag?: string }): GeneratedJournal {
  const broker = options.broker ?? 'SIM-A';
  const tag = options.tag ?? 'DAYS';
  const writer = new Writer(path, tag, { policy: { every: Number.MAX_SAFE_INTEGER } });
  const lastMs = Date.parse(`${options.lastDay}T08:00:00.000Z`);
  // ~8 hours of trading a day, whatever the number of orders.
  const stepMs = Math.max(1, Math.floor((8 * 3_600_000) / (options.ordersPerDay * 5)));
  let n = 0;
  for (let day = options.days - 1; day >= 0; day--) {
    if (day !== options.days - 1) writer.newDay();
    let t = lastMs - day * 86_400_000;
    const active: Draft[] = [];
    let left = options.ordersPerDay;
    let i = 0;
    while (left > 0 || active.length > 0) {
      while (active.length < 200 && left > 0) {
        n++;
        left--;
        active.push(draftOrder(broker, tag, n, n % 100, 100 + (n % 9) * 100, options.symbols));
      }
      // Round robin over the orders in flight: their events interleave as a day's do.
      i = (i + 1) % active.length;
      const d = active[i] as Draft;
      const step = d.steps.shift() as (at: string) => DeskEvent;
      writer.add(step(new Date((t += stepMs)).toISOString()));
      if (d.steps.length === 0) {
        active[i] = active[active.length - 1] as Draft;
        active.pop();
      }
    }
  }
  const bytes = writer.close(n + 1);
  return { path, events: writer.count, orders: n, tag, bytes, snapshots: writer.snapshots };
}
