import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { orderSearchRequestSchema } from '../../../shared/contract/order-search';
import type { OrderSearchRequest } from '../../../shared/contract/order-search';
import type { OrderTicket } from '../../../shared/contract/ticket';
import type { OrderView } from '../../../shared/contract/views';
import { TestClock } from '../time/test-clock';
import { beforeCommit } from '../sqlite/commit-batch';
import { TERMINAL_STATUSES } from '../../../shared/domain/order-types';
import { parseDeskConfig } from '../config/desk-config';
import { shippedInstrument, shippedMaster } from '../instruments/shipped-instruments.test-support';
import type { DeskEvent } from '../journal/desk-events';
import type { Folded } from '../journal/read-model';
import { applyAll } from '../journal/read-model';
import { OrderBook } from '../orders/order-book';
import { SqliteJournal } from '../journal/sqlite-journal';
import { silentLogger } from '../log/logger';
import { orderView } from '../orders/order-views';
import { ORDER_CODEC } from '../orders/order-codec';
import { BlockReader, BlockWriter } from '../journal/snapshot-codec';
import { deskEvents } from '../orders/random-events.test-support';
import { report } from '../orders/test-support';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';
import { orderHistory } from './order-history';
import { searchOrders } from './order-search';
import { OrderSummaries, SUMMARY_MAX_DUE, SUMMARY_WRITE_MS } from './order-summaries';
import type { DeskReadModels } from './read-models';
import { deskReadModels, journalEventsBefore } from './read-models';
import type { StreamPublisher } from './stream-publisher';

const config = parseDeskConfig({
  accounts: ['FUND-A', 'FUND-B'],
  brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }],
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * The desk's write path (record: journal, fold, summaries, publish) over a real journal file; nothing
 * published. `stop`: the desk's clean stop for the summaries (what is due written), then closed.
 */
function deskOn(
  path = join(mkdtempSync(join(tmpdir(), 'summaries-test-')), 'desk.sqlite'),
  clock = new TestClock(),
  written?: (view: OrderView) => void,
): { ctx: DeskContext; journal: SqliteJournal; path: string; stop: () => void } {
  dirs.push(join(path, '..'));
  const journal = new SqliteJournal(path);
  const publisher = { order() {}, execution() {}, alert() {}, session() {} } as unknown as StreamPublisher;
  const models = deskReadModels(config, journalEventsBefore(journal));
  const orderSummaries = new OrderSummaries(journal.db, written, clock);
  const effects = (event: DeskEvent, seq: number, folded: Folded<DeskReadModels>) => orderSummaries.writeChanged(folded.orders, seq, event);
  const ctx = { journal, models, orders: models.orders.view, orderSummaries, effects, publisher, log: silentLogger } as unknown as DeskContext;
  const stop = () => {
    orderSummaries.writeDue();
    journal.close();
  };
  return { ctx, journal, path, stop };
}

/** What another connection reads of the table: only what is committed. */
function committedRows(path: string, sql: string, ...params: unknown[]): unknown[] {
  const reader = new Database(path, { readonly: true });
  try {
    return reader.prepare(sql).pluck().all(...params);
  } finally {
    reader.close();
  }
}

const search = (ctx: DeskContext, request: Partial<OrderSearchRequest>) => {
  const parsed = orderSearchRequestSchema.parse(request);
  const result = searchOrders(ctx, parsed);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('order summaries', () => {
  it('equal the fold of the events, whatever the events and however they share batches (property)', () => {
    fc.assert(
      fc.property(deskEvents(1, 80), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }), fc.boolean(), (events, sizes, alone) => {
        const { ctx, journal } = deskOn();
        try {
          // One batch per event, or the batches of socket reads (a batch is written once, at its commit).
          if (alone) for (const event of events) record(ctx, event);
          else
            for (let i = 0, k = 0; i < events.length; k++) {
              const chunk = events.slice(i, (i += sizes[k % sizes.length]!));
              journal.batch(() => {
                for (const event of chunk) record(ctx, event);
              });
            }
          expect(journal.db.inTransaction).toBe(false);
          const orders = [...ctx.orders.allOrders()];
          // What a read sees: every event journaled (what is due is written first).
          for (const order of orders) expect(ctx.orderSummaries.get(order.orderId)).toEqual(orderView(order));
          // A new trading day lets finished orders go from the book; their summaries stay, as they ended.
          const inBook = new Set(orders.map((o) => o.orderId));
          const rows = journal.db.prepare('SELECT order_id, status FROM order_summaries').all() as { order_id: string; status: string }[];
          expect(rows.filter((r) => inBook.has(r.order_id))).toHaveLength(orders.length);
          for (const row of rows.filter((r) => !inBook.has(r.order_id))) expect(TERMINAL_STATUSES).toContain(row.status);
          for (const order of orders) {
            expect(ctx.orderSummaries.get(order.orderId)).toEqual(orderView(order));
            // Every ClOrdID the order used finds it.
            for (const clOrdId of order.clOrdIds) expect(search(ctx, { text: clOrdId }).orders.map((o) => o.orderId)).toContain(order.orderId);
          }
        } finally {
          journal.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('equal the fold however time passes between batches; killed at the end (what was due lost), caught up from summaries_seq at the next start (property)', () => {
    fc.assert(
      fc.property(
        deskEvents(1, 60),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: SUMMARY_WRITE_MS / 2 }), { minLength: 1, maxLength: 10 }),
        (events, sizes, gaps) => {
          const clock = new TestClock();
          const { ctx, journal, path } = deskOn(undefined, clock);
          ctx.orderSummaries.start();
          for (let i = 0, k = 0; i < events.length; k++) {
            clock.advance(gaps[k % gaps.length]!); // some batches write what is due, the timer some, some nothing
            const chunk = events.slice(i, (i += sizes[k % sizes.length]!));
            journal.batch(() => {
              for (const event of chunk) record(ctx, event);
            });
          }
          const orders = [...ctx.orders.allOrders()];
          ctx.orderSummaries.stop();
          journal.close(); // a kill: what was due is gone with the process
          // The desk's start: the fold replayed, the summaries caught up on the events after their seq.
          const again = deskOn(path);
          try {
            const from = again.ctx.orderSummaries.storedSeq();
            again.journal.replay((event, seq) => {
              const folded = applyAll(again.ctx.models, event, seq);
              if (seq > from) again.ctx.orderSummaries.caughtUp(folded.orders, seq, event);
            });
            again.ctx.orderSummaries.writeDue();
            expect(again.ctx.orderSummaries.storedSeq()).toBe(again.journal.latestSeq);
            for (const order of orders) {
              expect(again.ctx.orderSummaries.get(order.orderId)).toEqual(orderView(order));
              for (const clOrdId of order.clOrdIds) expect(search(again.ctx, { text: clOrdId }).orders.map((o) => o.orderId)).toContain(order.orderId);
            }
          } finally {
            again.journal.close();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  const fill = (n: number, orderId = 'T-1'): DeskEvent => ({
    type: 'executionReceived',
    at: `2026-03-02T09:00:0${n}.000Z`,
    orderId,
    broker: 'SIM-A',
    report: report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: orderId, execId: `F-${orderId}-${n}`, lastQty: '10', lastPx: '100', cumQty: String(10 * n), leavesQty: String(100 - 10 * n), avgPx: '100' }),
  });
  const versionOf = (path: string, orderId = 'T-1') => committedRows(path, 'SELECT version FROM order_summaries WHERE order_id = ?', orderId)[0];
  const summariesSeq = (path: string) => committedRows(path, "SELECT value FROM meta WHERE key = 'summaries_seq'")[0];

  it('an order a batch changes many times is published once, at its commit, as its last event left it; a read inside the batch sees it', () => {
    const published: string[] = [];
    const { ctx, journal, path } = deskOn(undefined, new TestClock(), (view) => published.push(`${view.orderId} v${view.version}`));
    journal.batch(() => {
      record(ctx, submitted('T-1', 'AAPL', '2026-03-02T09:00:00.000Z'));
      record(ctx, acked('T-1', '2026-03-02T09:00:00.500Z'));
      for (let n = 1; n <= 3; n++) record(ctx, fill(n));
      expect(published).toEqual([]);
      expect(versionOf(path)).toBeUndefined();
      expect(ctx.orderSummaries.get('T-1')).toMatchObject({ version: 5, cumQty: '30' }); // written into the open batch first
      record(ctx, fill(4));
    });
    expect(published).toEqual(['T-1 v5', 'T-1 v6']);
    expect(ctx.orderSummaries.get('T-1')).toEqual(orderView(ctx.orders.get('T-1')!));
    expect(versionOf(path)).toBe(6);
    journal.close();
  });

  it('are written behind the journal: not at a batch, all together SUMMARY_WRITE_MS later (the timer), each order once however many batches changed it', () => {
    const clock = new TestClock();
    const published: string[] = [];
    const { ctx, journal, path } = deskOn(undefined, clock, (view) => published.push(`${view.orderId} v${view.version}`));
    const summaries = ctx.orderSummaries;
    summaries.start();
    const writes = vi.spyOn(summaries, 'write');
    journal.batch(() => {
      record(ctx, submitted('T-1', 'AAPL', '2026-03-02T09:00:00.000Z'));
      record(ctx, submitted('T-2', 'MSFT', '2026-03-02T09:00:00.000Z'));
    });
    expect(published).toEqual(['T-1 v1', 'T-2 v1']); // the screens at once
    expect(versionOf(path)).toBeUndefined(); // the row not yet
    for (let n = 1; n <= 4; n++) {
      clock.advance(SUMMARY_WRITE_MS / 5 - 1);
      journal.batch(() => record(ctx, fill(n)));
    }
    expect(published).toHaveLength(6); // each batch published its order
    expect(versionOf(path)).toBeUndefined();
    expect(writes).not.toHaveBeenCalled();
    clock.advance(SUMMARY_WRITE_MS);
    expect(versionOf(path)).toBe(5);
    expect(versionOf(path, 'T-2')).toBe(1);
    expect(writes).toHaveBeenCalledTimes(2); // T-1 once, for its five events in five batches; T-2 once
    expect(summariesSeq(path)).toBe(String(journal.latestSeq));
    clock.advance(10 * SUMMARY_WRITE_MS);
    expect(writes).toHaveBeenCalledTimes(2); // nothing due: nothing written
    summaries.stop();
    journal.close();
  });

  it("are written in a batch's commit once SUMMARY_WRITE_MS passed since the last write, or when more than SUMMARY_MAX_DUE orders wait", () => {
    const clock = new TestClock();
    const { ctx, journal, path } = deskOn(undefined, clock);
    journal.batch(() => record(ctx, submitted('T-1', 'AAPL', '2026-03-02T09:00:00.000Z')));
    clock.advance(SUMMARY_WRITE_MS - 1); // no timer started: only batches write
    journal.batch(() => record(ctx, submitted('T-2', 'AAPL', '2026-03-02T09:00:01.000Z')));
    expect(versionOf(path)).toBeUndefined();
    clock.advance(1);
    journal.batch(() => record(ctx, acked('T-2', '2026-03-02T09:00:02.000Z')));
    expect([versionOf(path), versionOf(path, 'T-2')]).toEqual([1, 2]);
    expect(summariesSeq(path)).toBe(String(journal.latestSeq));
    // A burst: the batch that leaves more than SUMMARY_MAX_DUE orders waiting writes them, whatever the time.
    journal.batch(() => {
      for (let i = 0; i <= SUMMARY_MAX_DUE; i++) record(ctx, submitted(`B-${i}`, 'MSFT', '2026-03-02T09:01:00.000Z'));
    });
    expect(committedRows(path, "SELECT count(*) FROM order_summaries WHERE order_id LIKE 'B-%'")[0]).toBe(SUMMARY_MAX_DUE + 1);
    journal.close();
  });

  it('are written a slice of the thread at a time (SUMMARY_SLICE_MS), the rest in the next turns; summaries_seq moves once all are written', () => {
    const clock = new TestClock();
    const { ctx, journal, path } = deskOn(undefined, clock);
    ctx.orderSummaries.start();
    const orders = 3_000; // far more than a ms of rows at any speed (each an INSERT into five indexes)
    journal.batch(() => {
      for (let i = 0; i < orders; i++) record(ctx, submitted(`S-${i}`, 'MSFT', '2026-03-02T09:01:00.000Z'));
    });
    // Rows per transaction: each slice commits on its own.
    const slices: number[] = [];
    let rows = 0;
    vi.spyOn(ctx.orderSummaries, 'write').mockImplementation(function (this: unknown, ...args) {
      rows += 1;
      return OrderSummaries.prototype.write.apply(ctx.orderSummaries, args);
    });
    const exec = journal.db.exec.bind(journal.db);
    vi.spyOn(journal.db, 'exec').mockImplementation((sql: string) => {
      if (sql === 'COMMIT' && rows > 0) {
        slices.push(rows);
        rows = 0;
      }
      return exec(sql);
    });
    clock.advance(SUMMARY_WRITE_MS); // the timer's slices, one after the other
    expect(slices.length).toBeGreaterThan(1);
    expect(slices.reduce((a, b) => a + b, 0)).toBe(orders);
    expect(Math.max(...slices)).toBeLessThan(orders);
    expect(committedRows(path, "SELECT count(*) FROM order_summaries WHERE order_id LIKE 'S-%'")[0]).toBe(orders);
    expect(summariesSeq(path)).toBe(String(journal.latestSeq));
    journal.close();
  });

  it('an order due and changed again by the batch that writes it is written once with every ClOrdID it took since its last write', () => {
    const clock = new TestClock();
    const { ctx, journal, path } = deskOn(undefined, clock);
    const writes = vi.spyOn(ctx.orderSummaries, 'write');
    journal.batch(() => {
      record(ctx, submitted('T-1', 'AAPL', '2026-03-02T09:00:00.000Z'));
      record(ctx, acked('T-1', '2026-03-02T09:00:00.500Z'));
      record(ctx, { type: 'replaceRequested', at: '2026-03-02T09:00:01.000Z', orderId: 'T-1', clOrdId: 'T-1-R', origClOrdId: 'T-1', quantity: '200', limitPrice: '101' });
    });
    clock.advance(SUMMARY_WRITE_MS);
    journal.batch(() => record(ctx, { type: 'cancelRequested', at: '2026-03-02T09:00:02.000Z', orderId: 'T-1', clOrdId: 'T-1-C', origClOrdId: 'T-1-R' }));
    expect(writes).toHaveBeenCalledTimes(1);
    expect(committedRows(path, "SELECT cl_ord_id FROM order_cl_ord_ids WHERE order_id = 'T-1' ORDER BY cl_ord_id")).toEqual(['T-1-C', 'T-1-R']);
    journal.close();
  });

  it('a failed commit keeps the rows it was writing due (their events were committed before); what it published is dropped', () => {
    const clock = new TestClock();
    const { ctx, journal, path } = deskOn(undefined, clock);
    record(ctx, submitted('T-1', 'AAPL', '2026-03-02T09:00:00.000Z')); // committed, its row due
    clock.advance(SUMMARY_WRITE_MS);
    const writes = vi.spyOn(ctx.orderSummaries, 'write');
    expect(() =>
      journal.batch(() => {
        record(ctx, acked('T-1', '2026-03-02T09:00:01.000Z')); // its commit writes T-1's row, then fails
        beforeCommit(journal.db, () => {
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        });
      }),
    ).toThrow('disk is full');
    expect(journal.latestSeq).toBe(1);
    expect(writes).toHaveBeenCalledTimes(1); // written, then rolled back
    expect(versionOf(path)).toBeUndefined();
    ctx.orderSummaries.start();
    // The timer does not retry on a full disk by itself (each failed commit has the desk read its state back): it waits for a commit that goes through.
    clock.advance(10 * SUMMARY_WRITE_MS);
    expect(versionOf(path)).toBeUndefined();
    // Still due: the next write stores the row as the committed event left it (not the refused ack).
    expect(ctx.orderSummaries.get('T-1')).toMatchObject({ status: 'pendingNew', version: 1 });
    expect(versionOf(path)).toBe(1);
    expect(summariesSeq(path)).toBe('1');
    journal.close();
  });

  it('are written at a clean stop, and survive a reopen', () => {
    const { ctx, journal, path, stop } = deskOn();
    record(ctx, submitted('T-1', 'AAPL', '2026-03-02T09:00:00.000Z'));
    expect(journal.db.inTransaction).toBe(false);
    // A batch that throws after its events were applied keeps them (commitBatch's rule): summaries too.
    expect(() =>
      journal.batch(() => {
        record(ctx, acked('T-1', '2026-03-02T09:00:01.000Z'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(versionOf(path)).toBeUndefined();
    stop();
    expect(versionOf(path)).toBe(2);
    const again = deskOn(path);
    expect(again.ctx.orderSummaries.get('T-1')).toMatchObject({ status: 'new', version: 2 });
    expect(again.ctx.orderSummaries.storedSeq()).toBe(2);
    again.journal.close();
  });

  it("say whose algo works an order (its algo parent, or the broker's algo), in the live book, its snapshot and the summary read back", () => {
    const { ctx, path, stop } = deskOn();
    const child = submitted('C-1', 'AAPL', '2026-03-02T09:00:00.000Z');
    const routed = submitted('B-1', 'AAPL', '2026-03-02T09:00:01.000Z');
    record(ctx, { ...child, parentId: 'algo-P1' } as DeskEvent);
    if (routed.type !== 'orderSubmitted') throw new Error('a submitted order');
    record(ctx, { ...routed, ticket: { ...routed.ticket, brokerAlgo: { strategy: 'SIM-VWAP', parameters: { Urgency: 'M' } } } });
    record(ctx, submitted('P-1', 'AAPL', '2026-03-02T09:00:02.000Z'));
    const live = ['C-1', 'B-1', 'P-1'].map((id) => orderView(ctx.orders.get(id)!));
    expect(live.map((v) => [v.parentId, v.brokerAlgo])).toEqual([
      ['algo-P1', undefined],
      [undefined, 'SIM-VWAP'],
      [undefined, undefined],
    ]);
    // The snapshot's codec keeps both.
    const book = ctx.models.orders as unknown as OrderBook;
    const orders = book.capture().orders;
    const w = new BlockWriter();
    for (const o of orders) ORDER_CODEC.write(o, w);
    const r = new BlockReader(w.finish());
    expect(orders.map(() => orderView(ORDER_CODEC.read(r)))).toEqual(live);
    stop();
    const again = deskOn(path);
    expect(['C-1', 'B-1', 'P-1'].map((id) => again.ctx.orderSummaries.get(id))).toEqual(live);
    again.journal.close();
  });
});

/** Three days of orders: AAPL and MSFT, two accounts, a few states. */
function threeDays(ctx: DeskContext): void {
  const days = ['2026-03-02', '2026-03-03', '2026-03-04'];
  let n = 0;
  for (const day of days) {
    for (let i = 0; i < 10; i++) {
      const id = `T-${++n}`;
      const at = `${day}T09:${String(10 + i).padStart(2, '0')}:00.000Z`;
      record(ctx, submitted(id, i % 2 === 0 ? 'AAPL' : 'MSFT', at, i % 3 === 0 ? 'FUND-B' : 'FUND-A', i % 4 === 0 ? 'sell' : 'buy'));
      if (i % 5 === 4) record(ctx, { type: 'executionReceived', at, orderId: id, broker: 'SIM-A', report: report({ execType: 'rejected', ordStatus: 'rejected', clOrdId: id, execId: `R${n}`, text: 'no' }) });
      else record(ctx, acked(id, at));
    }
  }
}

describe('searchOrders', () => {
  it('pages through every order newest first, each once, with a cursor', () => {
    const { ctx, journal } = deskOn();
    threeDays(ctx);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = search(ctx, { limit: 7, ...(cursor !== undefined && { cursor }) });
      seen.push(...page.orders.map((o) => o.orderId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen[0]).toBe('T-30');
    expect(seen.at(-1)).toBe('T-1');
    journal.close();
  });

  it('filters by date range, view, symbol, account, broker and side', () => {
    const { ctx, journal } = deskOn();
    threeDays(ctx);
    const ids = (request: Partial<OrderSearchRequest>) => search(ctx, request).orders.map((o) => o.orderId);
    const march3 = { from: '2026-03-03T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z' };
    expect(ids(march3)).toEqual(['T-20', 'T-19', 'T-18', 'T-17', 'T-16', 'T-15', 'T-14', 'T-13', 'T-12', 'T-11']);
    expect(ids({ ...march3, view: 'rejected' })).toEqual(['T-20', 'T-15']);
    expect(ids({ ...march3, view: 'working' })).toHaveLength(8);
    expect(ids({ ...march3, view: 'done' })).toEqual(['T-20', 'T-15']);
    expect(ids({ ...march3, symbol: 'MSFT' })).toEqual(['T-20', 'T-18', 'T-16', 'T-14', 'T-12']);
    expect(ids({ ...march3, account: 'FUND-B' })).toEqual(['T-20', 'T-17', 'T-14', 'T-11']);
    expect(ids({ ...march3, side: 'sell' })).toEqual(['T-19', 'T-15', 'T-11']);
    expect(ids({ ...march3, broker: 'SIM-B' })).toEqual([]);
    expect(ids({ broker: 'SIM-A' })).toHaveLength(30);
    journal.close();
  });

  it('finds by order ID or any ClOrdID whatever the day; else by symbol, account or broker, case-insensitively', () => {
    const { ctx, journal } = deskOn();
    threeDays(ctx);
    record(ctx, { type: 'replaceRequested', at: '2026-03-04T10:00:00.000Z', orderId: 'T-2', clOrdId: 'T-99', origClOrdId: 'T-2', quantity: '200', limitPrice: '101' });
    const onlyMarch4 = { from: '2026-03-04T00:00:00.000Z' };
    expect(search(ctx, { text: 'T-2', ...onlyMarch4 })).toMatchObject({ orders: [{ orderId: 'T-2', status: 'pendingReplace' }], matchedBy: ['orderId'] });
    expect(search(ctx, { text: 't-99' })).toMatchObject({ orders: [{ orderId: 'T-2' }], matchedBy: ['clOrdId'] });
    expect(search(ctx, { text: 'msft', ...onlyMarch4 })).toMatchObject({ matchedBy: ['symbol'] });
    expect(search(ctx, { text: 'msft', ...onlyMarch4 }).orders).toHaveLength(5);
    expect(search(ctx, { text: 'fund-b' }).orders).toHaveLength(12);
    expect(search(ctx, { text: 'nothing-like-it' })).toEqual({ orders: [], matchedBy: [] });
    journal.close();
  });

  it('refuses a cursor it never gave out, and a range that ends before it starts', () => {
    const { ctx, journal } = deskOn();
    threeDays(ctx);
    const result = searchOrders(ctx, orderSearchRequestSchema.parse({ cursor: 'not a cursor' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(orderSearchRequestSchema.safeParse({ from: '2026-03-04T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' }).success).toBe(false);
    expect(orderSearchRequestSchema.safeParse({ from: '2026-02-30T00:00:00.000Z' }).success).toBe(false);
    expect(orderSearchRequestSchema.safeParse({ from: '2026-03-04' }).success).toBe(false);
    journal.close();
  });
});

describe('order history of any day', () => {
  it('is read from the journal for an order the live book no longer holds', () => {
    const { ctx, journal } = deskOn();
    threeDays(ctx);
    // A desk whose live book holds nothing of those days (after a start-of-day roll).
    const rolled = { ...ctx, orders: new OrderBook().view } as DeskContext;
    const history = orderHistory(rolled, 'T-5');
    expect(history.ok).toBe(true);
    if (!history.ok) return;
    expect(history.value.order).toMatchObject({ orderId: 'T-5', status: 'rejected' });
    expect(history.value.entries.map((e) => e.event)).toEqual(['orderSubmitted', 'executionReceived']);
    expect(orderHistory(rolled, 'T-404')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ORDER' } });
    journal.close();
  });
});

const ticket = (instrumentId: string, account: string, side: OrderTicket['side']): OrderTicket => ({ instrumentId, side, quantity: '100', orderType: 'limit', limitPrice: '100', timeInForce: 'day', account, broker: 'SIM-A' });

/** An order on the shipped instrument whose display symbol is `symbol` (AAPL, MSFT, …: the equities'). */
function submitted(orderId: string, symbol: string, at: string, account = 'FUND-A', side: OrderTicket['side'] = 'buy'): DeskEvent {
  const instrument = shippedMaster().withSymbol(symbol).find((i) => i.assetClass === 'equity') ?? shippedInstrument(symbol);
  return { type: 'orderSubmitted', at, orderId, clOrdId: orderId, ticket: ticket(instrument.id, account, side), instrument, tradeDate: at.slice(0, 10) };
}

function acked(orderId: string, at: string): DeskEvent {
  return { type: 'executionReceived', at, orderId, broker: 'SIM-A', report: report({ execType: 'new', ordStatus: 'new', clOrdId: orderId, execId: `A-${orderId}` }) };
}
