import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Instrument } from '../../shared/domain/instrument';
import { isinCheckDigit } from '../../shared/domain/instrument-codes';
import type { ExecutionReportMessage } from '../../electron/core/broker/broker-port';
import type { DeskReadModels } from '../../electron/core/desk/read-models';
import { OrderSummaries } from '../../electron/core/desk/order-summaries';
import { deskReadModels, journalEventsBefore } from '../../electron/core/desk/read-models';
import type { DeskEvent } from '../../electron/core/journal/desk-events';
import { migrate } from '../../electron/core/journal/migrations';
import { applyAll } from '../../electron/core/journal/read-model';
import type { SnapshotPolicy, SnapshotWriteFigures } from '../../electron/core/journal/snapshots';
import { Snapshotter } from '../../electron/core/journal/snapshots';
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
import { silentLogger } from '../../electron/core/log/logger';
import { systemClock } from '../../electron/core/time/clock';
import { deskConfigFor } from './desk-harness';

/**
 * Writes a desk journal as a desk that had run the day would have: every event appended through
 * `SqliteJournal` (in batches, as the desk does per socket read), folded into the desk's own
 * read models (desk/read-models.ts) and the orders it changed written to the order summaries (what
 * the desk's effects do: create-desk.ts), with the desk's snapshot policy (`Snapshotter`,
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
  /**
   * The trading day the journal is in (YYYY-MM-DD, UTC): its first event starts it. A desk started
   * on another day rolls the day's finished orders off at once, so a recovery bench generates
   * today's (the default: this machine's date).
   */
  readonly day?: string;
  /** Snapshot policy; the desk's own by default. */
  readonly policy?: Partial<SnapshotPolicy>;
  /** End as a desk that stopped cleanly (a snapshot of the last state). Default true. */
  readonly cleanStop?: boolean;
  /** Snapshots by the policy while events come. Default true (else only at a clean stop). */
  readonly periodic?: boolean;
  /** The symbols orders trade, order n the (n mod length)th (benchInstrument's equities); AAPL, MSFT, NVDA by default. */
  readonly symbols?: readonly string[];
}

const SOH_SHOWN = '|';
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'] as const;
/** Today (UTC) on this machine: the bench's journals are of the day the desks it starts run on. */
export function benchDay(): string {
  return new Date().toISOString().slice(0, 10);
}
/** Events per journal transaction, like one busy read from a broker socket. */
const BATCH = 1_000;

class Writer {
  private readonly journal: SqliteJournal;
  /** The desk's read models for a desk of this broker without a drop copy (what the benches configure). */
  private readonly models: DeskReadModels;
  private readonly snapshotter: Snapshotter;
  private readonly summaries: OrderSummaries;
  /** When the day's first event is (the start of the trading day, UTC). */
  readonly startMs: number;
  private pending: DeskEvent[] = [];
  /** Snapshots by the desk's policy while events come (else only at a clean stop). */
  private periodic: boolean;
  readonly snapshots: SnapshotWriteFigures[] = [];
  count = 0;

  constructor(
    readonly path: string,
    tag: string,
    broker: string,
    private readonly options: JournalOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // The journal tag first (SqliteJournal keeps an existing one): ClOrdIDs are `<tag>-<n>`.
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db);
    db.prepare("INSERT INTO meta (key, value) VALUES ('journal_tag', ?)").run(tag);
    db.close();
    this.journal = new SqliteJournal(path);
    this.models = deskReadModels(deskConfigFor([{ name: broker, port: 1 }]), journalEventsBefore(this.journal));
    this.summaries = new OrderSummaries(this.journal.db);
    // As the desk: a snapshot is never newer than the summaries (what is due is written before its capture).
    this.snapshotter = new Snapshotter(this.journal, this.models, { log: silentLogger, clock: systemClock, policy: options.policy ?? {}, beforeCapture: this.summaries.writeDue });
    this.periodic = options.periodic ?? true;
    const day = options.day ?? benchDay();
    this.startMs = Date.parse(`${day}T00:00:00.000Z`);
    this.add({ type: 'dayStarted', at: new Date(this.startMs).toISOString(), day });
  }

  /**
   * The next trading day, as a desk stopped overnight and started that morning has it: a snapshot at
   * the evening's clean stop, then `dayStarted` (the start-of-day roll). `periodic`: the desk's
   * snapshot policy runs during the day (the day a bench starts the desk on); off, only the stop's.
   */
  newDay(day: string, periodic: boolean): number {
    this.flush();
    this.snapshot();
    this.periodic = periodic;
    const startMs = Date.parse(`${day}T00:00:00.000Z`);
    this.add({ type: 'dayStarted', at: new Date(startMs).toISOString(), day });
    return startMs;
  }

  add(event: DeskEvent): void {
    this.pending.push(event);
    if (this.pending.length >= BATCH) this.flush();
  }

  /** The seq of the last event written. */
  flushed(): number {
    this.flush();
    return this.journal.latestSeq;
  }

  /** Events written by SQL, not folded (the caller knows the read models would not keep anything of them). */
  raw(sql: string): void {
    this.count += this.journal.db.prepare(sql).run().changes;
  }

  /** Other rows written by SQL (the order summaries of events written by `raw`). */
  rawOther(sql: string): void {
    this.journal.db.prepare(sql).run();
  }

  /**
   * One transaction of appends, each folded as it is appended (the desk's write-ahead rule), the
   * summaries of the orders they changed written in it with `summaries_seq` (the desk writes them
   * behind, coalesced: a batch here is ~a desk's quarter second); then the policy's check.
   */
  flush(): void {
    const events = this.pending;
    this.pending = [];
    this.journal.batch(() => {
      for (const e of events) this.record(e);
      this.summaries.writeDue(); // also after `raw` events (their rows by SQL): `summaries_seq` covers them
    });
    this.count += events.length;
    if (this.periodic && this.snapshotter.due()) this.snapshot();
  }

  /** What the desk's `record` does, less publishing: journal, fold, the summaries of the orders it changed. */
  private record(event: DeskEvent): void {
    const seq = this.journal.append(event);
    this.summaries.writeChanged(applyAll(this.models, event, seq).orders, seq, event);
  }

  close(): number {
    this.flush();
    if (this.options.cleanStop ?? true) this.snapshot();
    this.journal.close();
    const db = new Database(this.path);
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
    limitPrice: BENCH_LIMIT_PRICE,
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

/** Every generated order's limit: a fill at it is within the limit for buys and sells alike. */
export const BENCH_LIMIT_PRICE = '190.50';

/**
 * A trading day's mix, order by order (events of different orders interleaved): 55% filled in three
 * partial fills, 20% canceled, 10% amended then filled, 10% left working, 5% rejected by the broker.
 */
function draftOrder(broker: string, tag: string, n: number, kind: number, qty: number, timeInForce: 'day' | 'gtc' = 'day', symbols: readonly string[] = SYMBOLS): Draft {
  const orderId = `${tag}-${n}`;
  const d: Draft = { orderId, symbol: symbols[n % symbols.length] as string, side: n % 2 === 0 ? 'buy' : 'sell', qty, steps: [] } as Draft;
  d.steps.push((at) => ({
    type: 'orderSubmitted',
    at,
    orderId,
    clOrdId: orderId,
    ticket: { instrumentId: benchInstrument(d.symbol).id, side: d.side, quantity: String(qty), orderType: 'limit', limitPrice: BENCH_LIMIT_PRICE, timeInForce, account: 'FUND-ALPHA', broker },
    instrument: benchInstrument(d.symbol),
    tradeDate: at.slice(0, 10),
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
  const writer = new Writer(path, tag, broker, options);
  const active: Draft[] = [];
  let n = 0;
  let t = writer.startMs + 60_000;
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
  const bytes = writer.close();
  return { path, events: writer.count, orders: n, tag, bytes, snapshots: writer.snapshots };
}

/** `orders` open orders (submitted and acknowledged), ClOrdIDs `<tag>-1..<tag>-orders`, oldest first. */
export function generateOpenOrdersJournal(path: string, orders: number, broker: string, tag: string, qty: number, options: JournalOptions = {}): GeneratedJournal {
  const writer = new Writer(path, tag, broker, options);
  let t = writer.startMs + 60_000;
  for (let n = 1; n <= orders; n++) {
    const d = draftOrder(broker, tag, n, 10, qty, 'day', options.symbols ?? SYMBOLS);
    for (const step of d.steps) writer.add(step(new Date((t += 3)).toISOString()));
  }
  const bytes = writer.close();
  return { path, events: writer.count, orders, tag, bytes, snapshots: writer.snapshots };
}

/** The end of an order left working: a DAY order's expiry at the close, a GTC order's cancel on a later day. */
function ending(broker: string, d: Draft, how: 'expired' | 'canceled'): Array<(at: string) => DeskEvent> {
  const { orderId } = d;
  if (how === 'expired') {
    return [(at) => ({ type: 'executionReceived', at, orderId, broker, report: report(broker, d, orderId, { execType: 'expired', ordStatus: 'expired', cum: 0 }, at) })];
  }
  const cancelId = `${orderId}c`;
  return [
    (at) => ({ type: 'cancelRequested', at, orderId, clOrdId: cancelId, origClOrdId: orderId }),
    (at) => ({ type: 'executionReceived', at, orderId, broker, report: report(broker, d, cancelId, { execType: 'canceled', ordStatus: 'canceled', cum: 0, origClOrdId: orderId }, at) }),
  ];
}

/** The trading day `back` days before `day` (YYYY-MM-DD), every day a trading day. */
function dayBefore(day: string, back: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - back * 86_400_000).toISOString().slice(0, 10);
}

export interface DaysJournal extends GeneratedJournal {
  /** Orders working when the journal ends (the last day's, and GTC orders carried from earlier days). */
  readonly working: number;
  /** GTC orders carried into the last day. */
  readonly carried: number;
  /** Events of the last day. */
  readonly lastDayEvents: number;
}

/** 1 order in 400 is GTC, left working; the others are the day's mix. */
const GTC_EVERY = 400;

/**
 * `days` trading days of `ordersPerDay` orders each, the last one `lastDay` (default: today, UTC: a
 * desk started on it does not roll). Each day starts with `dayStarted` (the start-of-day roll); then
 * half the GTC orders carried in are canceled; then the day's mix of generateMixedJournal, whose DAY
 * orders still working at the close are expired by the broker (except on the last day: the desk is
 * mid-day); and a GTC order for every 400 of the day's, left working. A snapshot at each evening's
 * clean stop; on the last day also the desk's periodic ones (the day a bench starts the desk on).
 *
 * Only the first and the last day are generated order by order and folded into the read models; the
 * days between repeat the first day's mix (every ID made unique per day, every time moved to its
 * day) by one SQL copy each, not folded: all their orders are done by their close, so the next
 * `dayStarted` would roll them all off, and the read models are what folding them would have left.
 * The bench checks that at smoke sizes (a full replay against the snapshot's read models).
 */
export function generateDaysJournal(
  path: string,
  options: { days: number; ordersPerDay: number; lastDay?: string; broker?: string; tag?: string; policy?: Partial<SnapshotPolicy>; symbols?: readonly string[] },
): DaysJournal {
  const broker = options.broker ?? 'SIM-A';
  const tag = options.tag ?? 'DAYS';
  const lastDay = options.lastDay ?? benchDay();
  const firstDay = dayBefore(lastDay, options.days - 1);
  const writer = new Writer(path, tag, broker, { day: firstDay, ...(options.policy !== undefined && { policy: options.policy }), periodic: options.days === 1 });
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  // The day's orders over ~16 hours from 00:01 (the bench's desks roll at 00:00 UTC).
  const stepMs = Math.max(1, Math.floor((16 * 3_600_000) / (options.ordersPerDay * 4.5)));
  let n = 0;
  let gtc: Draft[] = [];
  let carried = 0;
  let working = 0;
  let mix: { from: number; to: number; lastN: number } | undefined;
  let lastDayFrom = 0;
  for (let back = options.days - 1; back >= 0; back--) {
    const day = dayBefore(lastDay, back);
    const startMs = back === options.days - 1 ? writer.startMs : writer.newDay(day, back === 0);
    if (back === 0) lastDayFrom = writer.count;
    let t = startMs + 60_000;
    const at = () => new Date((t += stepMs)).toISOString();
    const keep: Draft[] = [];
    for (const d of gtc) {
      if (random() < 0.5) keep.push(d);
      else for (const step of ending(broker, d, 'canceled')) writer.add(step(at()));
    }
    gtc = keep;
    if (back === 0) carried = gtc.length;
    if (back === options.days - 1 || back === 0) {
      const from = writer.flushed() + 1;
      const first = n + 1;
      working = writeDayMix(writer, broker, tag, first, options.ordersPerDay, random, at, back > 0, options.symbols ?? SYMBOLS);
      n += options.ordersPerDay;
      if (mix === undefined) mix = { from, to: writer.flushed(), lastN: n };
    } else {
      copyDayMix(writer, mix as { from: number; to: number }, firstDay, day, options.days - 1 - back, tag, broker);
      t += options.ordersPerDay * 4.5 * stepMs;
    }
    // The day's GTC orders, after its mix (the copies of the first day's mix have none).
    for (let g = 0; g < Math.floor(options.ordersPerDay / GTC_EVERY); g++) {
      n++;
      const d = draftOrder(broker, tag, n, 10, 300, 'gtc', options.symbols ?? SYMBOLS);
      for (const step of d.steps) writer.add(step(at()));
      gtc.push(d);
    }
  }
  const bytes = writer.close();
  return { path, events: writer.count, orders: options.days * (options.ordersPerDay + Math.floor(options.ordersPerDay / GTC_EVERY)), tag, bytes, snapshots: writer.snapshots, working: working + gtc.length, carried, lastDayEvents: writer.count - lastDayFrom };
}

/** One day's mix of orders `first`…, ~1,000 in flight; returns how many are left working at its end. */
function writeDayMix(writer: Writer, broker: string, tag: string, first: number, orders: number, random: () => number, at: () => string, close: boolean, symbols: readonly string[]): number {
  const active: Draft[] = [];
  const working: Draft[] = [];
  let n = first;
  const end = first + orders;
  while (n < end || active.length > 0) {
    while (active.length < 1_000 && n < end) {
      const d = draftOrder(broker, tag, n, n % 100, 300 + (n % 7) * 100, 'day', symbols);
      active.push(d);
      if (n % 100 >= 5 && n % 100 < 15) working.push(d); // the mix's working kinds
      n++;
    }
    const i = Math.floor(random() * active.length);
    const d = active[i] as Draft;
    const step = d.steps.shift() as (at: string) => DeskEvent;
    writer.add(step(at()));
    if (d.steps.length === 0) {
      active[i] = active[active.length - 1] as Draft;
      active.pop();
    }
  }
  if (!close) return working.length;
  // The close: the broker expires the DAY orders still working.
  for (const d of working) for (const step of ending(broker, d, 'expired')) writer.add(step(at()));
  return 0;
}

/**
 * The first day's mix again as day number `k` (`day`), by SQL: IDs made the day's own, times moved
 * to it; its orders' summaries too (their seq moved by as much as the events').
 */
function copyDayMix(writer: Writer, mix: { from: number; to: number }, fromDay: string, day: string, k: number, tag: string, broker: string): void {
  const shift = writer.flushed() + 1 - mix.from;
  const fix = (d: string) => `${d.replace(/-/g, '')}-`;
  const ids = (column: string) => `replace(${column}, '${tag}-', '${tag}${k}-')`;
  const time = (column: string) => `replace(${column}, '${fromDay}T', '${day}T')`;
  const swap = (column: string) => `replace(replace(${time(ids(column))}, '${broker}-E', '${broker}-E${k}.'), '${fix(fromDay)}', '${fix(day)}')`;
  writer.raw(
    `INSERT INTO events (at, type, order_id, payload) SELECT ${time('at')}, type, ${ids('order_id')}, ${swap('payload')} FROM events WHERE seq BETWEEN ${mix.from} AND ${mix.to} ORDER BY seq`,
  );
  const mixOrders = `SELECT order_id FROM order_summaries WHERE seq BETWEEN ${mix.from} AND ${mix.to}`;
  writer.rawOther(
    `INSERT INTO order_summaries SELECT ${ids('order_id')}, ${time('created_at')}, ${time('updated_at')}, broker, account, symbol, side, order_type, time_in_force, expire_date,
       quantity, limit_price, stop_price, status, cum_qty, leaves_qty, avg_px, ${ids('cl_ord_id')}, ${ids('live_cl_ord_id')}, ${ids('broker_order_id')}, ${swap('text')},
       ${swap('pending')}, ${swap('uncertain')}, adopted, version, seq + ${shift}, instrument_id, asset_class, currency, settl_date,
       value_factor, value_currency, risk, parent_id, broker_algo
       FROM order_summaries WHERE seq BETWEEN ${mix.from} AND ${mix.to}`,
  );
  writer.rawOther(`INSERT INTO order_cl_ord_ids SELECT ${ids('cl_ord_id')}, ${ids('order_id')} FROM order_cl_ord_ids WHERE order_id IN (${mixOrders})`);
}

const benchInstruments = new Map<string, Instrument>();

/** The equity an order of the generated journal trades: a listed US share named by its ticker (one object per ticker). */
export function benchInstrument(symbol: string): Instrument {
  let instrument = benchInstruments.get(symbol);
  if (instrument === undefined) {
    const body = `US${symbol.replace(/[^A-Z0-9]/g, '').padEnd(9, '0').slice(0, 9)}`;
    instrument = { id: `${symbol}.XNAS`, assetClass: 'equity', symbol, name: `${symbol} Inc.`, currency: 'USD', exchange: 'XNAS', isin: `${body}${isinCheckDigit(body)}`, tickSize: '0.01', lotSize: '1' };
    benchInstruments.set(symbol, instrument);
  }
  return instrument;
}

/** `symbols` instruments named S000, S001…: what a desk trading a list of names has (the search bench filters by one). */
export function symbolList(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `S${String(i).padStart(3, '0')}`);
}
