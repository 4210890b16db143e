import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ExecutionReportMessage } from '../../electron/core/broker/broker-port';
import { AlertLog } from '../../electron/core/alerts/alert-log';
import { DeliveredExecutions, deskSnapshotSections, foldDeskEvent } from '../../electron/core/desk/drop-copy';
import type { DeskEvent } from '../../electron/core/journal/desk-events';
import { migrate } from '../../electron/core/journal/migrations';
import type { SnapshotPolicy, SnapshotWriteFigures } from '../../electron/core/journal/snapshots';
import { Snapshotter } from '../../electron/core/journal/snapshots';
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
import { silentLogger } from '../../electron/core/log/logger';
import { OrderBook } from '../../electron/core/orders/order-book';

/**
 * Writes a desk journal as a desk that had run the day would have: every event appended through
 * `SqliteJournal` (in batches, as the desk does per socket read) and folded into the desk's own
 * order book and drop-copy memory, with the desk's snapshot policy (`Snapshotter`,
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
  private readonly book = new OrderBook();
  private readonly delivered: DeliveredExecutions;
  private readonly alerts = new AlertLog();
  private readonly snapshotter: Snapshotter;
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
      for (const e of events) foldDeskEvent(this.book, this.delivered, this.alerts, e, this.journal.append(e));
    });
    this.count += events.length;
    if (this.snapshotter.due()) this.snapshot();
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
function draftOrder(broker: string, tag: string, n: number, kind: number, qty: number): Draft {
  const orderId = `${tag}-${n}`;
  const d: Draft = { orderId, symbol: SYMBOLS[n % 3] as string, side: n % 2 === 0 ? 'buy' : 'sell', qty, steps: [] } as Draft;
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
