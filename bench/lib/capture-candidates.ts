/**
 * One candidate way of persisting the desk's read models, measured in a process of its own (so no
 * candidate inherits another's heap): `node --import tsx bench/lib/capture-candidates.ts <what> <db> [<candidate>]`.
 * Prints one JSON line. Used by bench/suites/captures.ts; see bench/README.md, "Captures".
 *
 * - prepare: full replay of the journal, then each candidate writes its capture of that state
 *   (the block codec through the desk's own Snapshotter; v8.serialize of the plain state in chunks;
 *   a projection table of orders and execution rows), timed.
 * - restore <candidate>: from the database as prepared to the read models ready (indexes included).
 * - hotpath <variant>: appends the journal's last events again (in batches of 1,000, folded as the
 *   desk does), plain / with the projection's upserts in the same commit / with an ExecID unique index.
 */
import { copyFileSync } from 'node:fs';
import v8 from 'node:v8';
import Database from 'better-sqlite3';
import { Dec } from '../../electron/core/decimal/decimal';
import type { DeskReadModels } from '../../electron/core/desk/read-models';
import { deskReadModels, journalEventsBefore } from '../../electron/core/desk/read-models';
import type { DeskEvent } from '../../electron/core/journal/desk-events';
import { applyAll } from '../../electron/core/journal/read-model';
import { Snapshotter } from '../../electron/core/journal/snapshots';
import { SqliteJournal } from '../../electron/core/journal/sqlite-journal';
import { silentLogger } from '../../electron/core/log/logger';
import type { Fill, Order } from '../../electron/core/orders/order';
import { AppendOnlyList } from '../../electron/core/orders/append-only-list';
import type { ExecutionRecord } from '../../electron/core/orders/order-views';
import { systemClock } from '../../electron/core/time/clock';
import { deskConfigFor } from './desk-harness';

export type Candidate = 'blocks' | 'v8' | 'projection';
export type HotPathVariant = 'plain' | 'projection' | 'execIdIndex';

const CHUNK = 1_024;

type PlainDec = readonly [coefficient: number | bigint, scale: number];
const plainDec = (d: Dec): PlainDec => [d.coefficient, d.scale];
const decOf = (p: PlainDec): Dec => new (Dec as unknown as new (c: number | bigint, s: number) => Dec)(p[0], p[1]);
const DEC_FIELDS = ['quantity', 'limitPrice', 'stopPrice', 'cumQty', 'leavesQty', 'avgPx'] as const;

/** An order as plain data (what v8.serialize and JSON can carry): each Dec as [coefficient, scale]. */
function plainOrder(o: Order): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o };
  for (const f of DEC_FIELDS) if (o[f] !== undefined) out[f] = plainDec(o[f] as Dec);
  out.fills = o.fills.map((f) => ({ ...f, quantity: plainDec(f.quantity), price: plainDec(f.price) }));
  out.execIds = o.execIds.toArray();
  out.requests = o.requests.map((r) => ({ ...r, ...(r.quantity && { quantity: plainDec(r.quantity) }), ...(r.limitPrice && { limitPrice: plainDec(r.limitPrice) }), ...(r.stopPrice && { stopPrice: plainDec(r.stopPrice) }) }));
  delete out.pending;
  if (o.unseen) out.unseen = { quantity: plainDec(o.unseen.quantity), notional: plainDec(o.unseen.notional) };
  if (o.adjustment) out.adjustment = { quantity: plainDec(o.adjustment.quantity), notional: plainDec(o.adjustment.notional) };
  return out;
}

function reviveOrder(p: Record<string, unknown>): Order {
  const o: Record<string, unknown> = { ...p };
  for (const f of DEC_FIELDS) if (p[f] !== undefined) o[f] = decOf(p[f] as PlainDec);
  o.fills = AppendOnlyList.of((p.fills as Array<Record<string, unknown>>).map((f) => ({ ...f, quantity: decOf(f.quantity as PlainDec), price: decOf(f.price as PlainDec) }) as unknown as Fill));
  o.execIds = AppendOnlyList.of(p.execIds as string[]);
  const requests = (p.requests as Array<Record<string, unknown>>).map((r) => ({
    ...r,
    ...(r.quantity !== undefined && { quantity: decOf(r.quantity as PlainDec) }),
    ...(r.limitPrice !== undefined && { limitPrice: decOf(r.limitPrice as PlainDec) }),
    ...(r.stopPrice !== undefined && { stopPrice: decOf(r.stopPrice as PlainDec) }),
  }));
  o.requests = requests;
  if (requests.length > 0) o.pending = requests.at(-1);
  const u = p.unseen as { quantity: PlainDec; notional: PlainDec } | undefined;
  if (u) o.unseen = { quantity: decOf(u.quantity), notional: decOf(u.notional) };
  const a = p.adjustment as { quantity: PlainDec; notional: PlainDec } | undefined;
  if (a) o.adjustment = { quantity: decOf(a.quantity), notional: decOf(a.notional) };
  return o as unknown as Order;
}

/** The state a capture must bring back, and the indexes the desk derives from it. */
interface Restored {
  orders: Map<string, Order>;
  byClOrdId: Map<string, string>;
  byBrokerOrderId: Map<string, string>;
  rows: ExecutionRecord[];
  seen: Map<string, number>;
}

function index(orders: Iterable<Order>, rows: readonly ExecutionRecord[]): Restored {
  const byOrder = new Map<string, Order>();
  const byClOrdId = new Map<string, string>();
  const byBrokerOrderId = new Map<string, string>();
  for (const o of orders) {
    byOrder.set(o.orderId, o);
    for (const id of o.clOrdIds) if (id !== o.orderId) byClOrdId.set(id, o.orderId);
    if (o.brokerOrderId !== undefined) byBrokerOrderId.set(o.brokerOrderId, o.orderId);
  }
  const seen = new Map<string, number>();
  rows.forEach((r, i) => seen.set(r.execId, i));
  return { orders: byOrder, byClOrdId, byBrokerOrderId, rows: rows as ExecutionRecord[], seen };
}

/** The desk's read models over this journal (the bench journals' broker, no drop copy). */
function readModels(journal: SqliteJournal): DeskReadModels {
  return deskReadModels(deskConfigFor([{ name: 'SIM-A', port: 1 }]), journalEventsBefore(journal));
}

function replayAll(journal: SqliteJournal): { models: DeskReadModels; ms: number } {
  const models = readModels(journal);
  const t0 = performance.now();
  journal.replay((e, seq) => applyAll(models, e, seq));
  return { models, ms: performance.now() - t0 };
}

function prepare(path: string): Record<string, unknown> {
  const journal = new SqliteJournal(path);
  const { models, ms: replayMs } = replayAll(journal);
  const out: Record<string, unknown> = { replayMs };
  // The block codec, as the desk writes it from scratch.
  journal.db.exec('DELETE FROM snapshots; DELETE FROM snapshot_block_refs; DELETE FROM snapshot_blocks;');
  const blocks = new Snapshotter(journal, models, { log: silentLogger, clock: systemClock }).writeNow();
  out.blocks = { writeMs: (blocks?.encodeMs ?? 0) + (blocks?.storeMs ?? 0), bytes: blocks?.bytes };
  const orders = [...models.orders.view.allOrders()];
  const rows = models.orders.view.executions();
  // v8.serialize of the plain state, in chunks of 1,024 entries (one chunk ≈ one slice of work).
  {
    const t0 = performance.now();
    journal.db.exec('DROP TABLE IF EXISTS capture_v8; CREATE TABLE capture_v8 (id INTEGER PRIMARY KEY, part TEXT NOT NULL, data BLOB NOT NULL)');
    const insert = journal.db.prepare('INSERT INTO capture_v8 (part, data) VALUES (?, ?)');
    let bytes = 0;
    journal.db.transaction(() => {
      for (let i = 0; i < orders.length; i += CHUNK) {
        const data = v8.serialize(orders.slice(i, i + CHUNK).map(plainOrder));
        bytes += data.length;
        insert.run('orders', data);
      }
      for (let i = 0; i < rows.length; i += CHUNK) {
        const data = v8.serialize(rows.slice(i, i + CHUNK));
        bytes += data.length;
        insert.run('rows', data);
      }
    })();
    out.v8 = { writeMs: performance.now() - t0, bytes };
  }
  // A projection table per read model, one row per entry (what the desk would upsert in each commit).
  {
    const t0 = performance.now();
    journal.db.exec(`DROP TABLE IF EXISTS projection_orders; DROP TABLE IF EXISTS projection_rows;
      CREATE TABLE projection_orders (order_id TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE projection_rows (id INTEGER PRIMARY KEY, exec_key TEXT NOT NULL UNIQUE, row TEXT NOT NULL);`);
    const insertOrder = journal.db.prepare('INSERT INTO projection_orders (order_id, state) VALUES (?, ?)');
    const insertRow = journal.db.prepare('INSERT INTO projection_rows (exec_key, row) VALUES (?, ?)');
    journal.db.transaction(() => {
      for (const o of orders) insertOrder.run(o.orderId, JSON.stringify(plainOrder(o), bigintReplacer));
      for (const r of rows) insertRow.run(r.execKey, JSON.stringify(r));
    })();
    const bytes = journal.db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'projection_%' OR name LIKE 'sqlite_autoindex_projection%'").pluck().get() as number | null;
    out.projection = { writeMs: performance.now() - t0, bytes };
  }
  out.counts = { orders: orders.length, rows: rows.length, seen: orders.reduce((n, o) => n + o.execIds.length, 0) };
  journal.close();
  return out;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { big: value.toString() } : value;
}

function bigintReviver(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'big' in value ? BigInt((value as { big: string }).big) : value;
}

async function restore(path: string, candidate: Candidate): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const journal = new SqliteJournal(path);
  let size = 0;
  if (candidate === 'blocks') {
    const models = readModels(journal);
    const outcome = await new Snapshotter(journal, models, { log: silentLogger, clock: systemClock }).restore();
    size = outcome.seq > 0 ? models.orders.view.size : -1;
  } else if (candidate === 'v8') {
    const orders: Order[] = [];
    const rows: ExecutionRecord[] = [];
    for (const [part, data] of journal.db.prepare('SELECT part, data FROM capture_v8 ORDER BY id').raw().iterate() as Iterable<[string, Buffer]>) {
      const chunk = v8.deserialize(data) as unknown[];
      if (part === 'orders') for (const p of chunk) orders.push(reviveOrder(p as Record<string, unknown>));
      else for (const r of chunk) rows.push(r as ExecutionRecord);
    }
    size = index(orders, rows).orders.size;
  } else {
    const orders: Order[] = [];
    for (const state of journal.db.prepare('SELECT state FROM projection_orders').pluck().iterate() as Iterable<string>) orders.push(reviveOrder(JSON.parse(state, bigintReviver) as Record<string, unknown>));
    const rows = (journal.db.prepare('SELECT row FROM projection_rows ORDER BY id').pluck().all() as string[]).map((r) => JSON.parse(r) as ExecutionRecord);
    size = index(orders, rows).orders.size;
  }
  const ms = performance.now() - t0;
  const rssMb = process.memoryUsage().rss / 1e6;
  journal.close();
  return { candidate, ms, orders: size, rssMb };
}

/** Appends the last `tail` events again to a copy of the journal without them, timing µs per event. */
function hotPath(path: string, variant: HotPathVariant, tail: number): Record<string, unknown> {
  const copy = `${path}.hotpath-${variant}.sqlite`;
  copyFileSync(path, copy);
  const db = new Database(copy);
  const last = db.prepare('SELECT max(seq) FROM events').pluck().get() as number;
  const events = (db.prepare('SELECT payload FROM events WHERE seq > ? ORDER BY seq').pluck().all(last - tail) as string[]).map((p) => JSON.parse(p) as DeskEvent);
  db.prepare('DELETE FROM events WHERE seq > ?').run(last - tail);
  db.exec('DELETE FROM snapshots; DELETE FROM snapshot_block_refs; DELETE FROM snapshot_blocks;');
  if (variant === 'execIdIndex') {
    db.exec(`ALTER TABLE events ADD COLUMN broker TEXT; ALTER TABLE events ADD COLUMN exec_id TEXT;
      UPDATE events SET broker = json_extract(payload, '$.broker'), exec_id = json_extract(payload, '$.report.execId') WHERE type IN ('executionReceived', 'orderAdopted');
      CREATE UNIQUE INDEX events_by_exec_id ON events (broker, exec_id) WHERE exec_id IS NOT NULL;`);
  }
  db.close();
  const journal = new SqliteJournal(copy);
  const { models } = replayAll(journal);
  const upsert = variant === 'projection' ? journal.db.prepare('INSERT INTO projection_orders (order_id, state) VALUES (?, ?) ON CONFLICT (order_id) DO UPDATE SET state = excluded.state') : undefined;
  const insertRow = variant === 'projection' ? journal.db.prepare('INSERT INTO projection_rows (exec_key, row) VALUES (?, ?) ON CONFLICT (exec_key) DO UPDATE SET row = excluded.row') : undefined;
  const withExecId = variant === 'execIdIndex' ? journal.db.prepare('INSERT INTO events (at, type, order_id, payload, broker, exec_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING') : undefined;
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 1_000) {
    journal.batch(() => {
      for (const e of events.slice(i, i + 1_000)) {
        let seq: number;
        if (withExecId !== undefined && (e.type === 'executionReceived' || e.type === 'orderAdopted')) {
          seq = Number(withExecId.run(e.at, e.type, e.orderId, JSON.stringify(e), e.broker, e.report.execId).lastInsertRowid);
        } else {
          if (variant !== 'execIdIndex' && (e.type === 'executionReceived' || e.type === 'orderAdopted') && models.orders.view.hasExecution(e.broker, e.report.execId, e.orderId)) continue;
          seq = journal.append(e);
        }
        const change = applyAll(models, e, seq).orders;
        if (upsert !== undefined && change.order !== undefined) upsert.run(change.order.orderId, JSON.stringify(plainOrder(change.order), bigintReplacer));
        if (insertRow !== undefined) for (const r of change.executions) insertRow.run(r.execKey, JSON.stringify(r));
      }
    });
  }
  const us = ((performance.now() - t0) * 1_000) / events.length;
  journal.close();
  return { variant, usPerEvent: us, events: events.length };
}

const [what, path, arg] = process.argv.slice(2);
if (what === 'prepare') console.log(JSON.stringify(prepare(path as string)));
else if (what === 'restore') console.log(JSON.stringify(await restore(path as string, arg as Candidate)));
else if (what === 'hotpath') console.log(JSON.stringify(hotPath(path as string, arg as HotPathVariant, Number(process.argv[5] ?? 50_000))));
