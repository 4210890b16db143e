import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { DeskConfig } from '../config/desk-config';
import { parseDeskConfig } from '../config/desk-config';
import type { SnapshotPolicy } from '../journal/snapshots';
import { createLogger } from '../log/logger';
import { limitTicket, report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import { createDesk } from './create-desk';
import type { Desk } from './desk';
import { FakeBroker } from './fake-broker.test-support';

/** SIM-A with a drop-copy session, SIM-B without. */
const config: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [
    { name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A', dropCopy: { port: 9891, senderCompId: 'MERIDIAN-DC', targetCompId: 'SIM-A-DC' } },
    { name: 'SIM-B', port: 9882, senderCompId: 'MERIDIAN', targetCompId: 'SIM-B' },
  ],
});

interface Opened {
  readonly desk: Desk;
  readonly brokers: Map<string, FakeBroker>;
  readonly dropCopies: Map<string, FakeBroker>;
  readonly logs: Array<Record<string, unknown>>;
  /** The first message a subscriber gets: everything the desk shows. */
  readonly snapshot: Extract<DeskStreamMessage, { kind: 'snapshot' }>;
}

describe('desk: snapshots of the journal fold', () => {
  let dir: string;
  let clock: TestClock;
  const opened: Desk[] = [];

  async function open(dataDir = dir, snapshotPolicy?: Partial<SnapshotPolicy>): Promise<Opened> {
    const brokers = new Map<string, FakeBroker>();
    const dropCopies = new Map<string, FakeBroker>();
    const logs: Array<Record<string, unknown>> = [];
    const desk = createDesk({
      config,
      dataDir,
      clock,
      journalSyncMs: 0,
      ...(snapshotPolicy !== undefined && { snapshotPolicy }),
      log: createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
      connectBroker: (c, listener, _log, options) => {
        const role = options.role;
        const b = new FakeBroker(c.name, listener, options.unitOfWork);
        (role === 'trading' ? brokers : dropCopies).set(c.name, b);
        return b;
      },
    });
    opened.push(desk);
    await desk.start();
    let snapshot: Opened['snapshot'] | undefined;
    desk.subscribe((m) => {
      if (m.kind === 'snapshot') snapshot ??= m;
    });
    if (snapshot === undefined) throw new Error('no snapshot published to a new subscriber');
    return { desk, brokers, dropCopies, logs, snapshot };
  }

  async function stop(d: Opened): Promise<void> {
    await d.desk.stop();
    opened.splice(opened.indexOf(d.desk), 1);
  }

  function replayedLine(d: Opened): Record<string, unknown> | undefined {
    return d.logs.find((l) => l.message === 'journal replayed');
  }

  function sql<T>(query: string, dataDir = dir): T[] {
    const db = new Database(join(dataDir, 'desk.sqlite'), { readonly: true });
    try {
      return db.prepare(query).pluck().all() as T[];
    } finally {
      db.close();
    }
  }

  /** A day in miniature: orders to both brokers, fills, a bust, an amend, a cancel, a reject, drop-copy reports. */
  async function trade(d: Opened): Promise<void> {
    const simA = d.brokers.get('SIM-A') as FakeBroker;
    const simB = d.brokers.get('SIM-B') as FakeBroker;
    const dc = d.dropCopies.get('SIM-A') as FakeBroker;
    for (let i = 0; i < 5; i++) {
      const broker = i % 2 === 0 ? simA : simB;
      const r = await d.desk.call('submitOrder', { ...limitTicket, broker: broker.broker });
      if (!r.ok) throw new Error(r.error.message);
      const clOrdId = r.value.clOrdId;
      broker.listener.onMessage(broker.broker, report({ execType: 'new', ordStatus: 'new', clOrdId, brokerOrderId: `${broker.broker}-${i}`, leavesQty: '100' }));
      const fill = report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId, brokerOrderId: `${broker.broker}-${i}`, lastQty: '40', lastPx: '150.25', cumQty: '40', leavesQty: '60', avgPx: '150.25', side: 'buy', transactTime: '2026-11-27T10:00:00.000Z' });
      broker.listener.onMessage(broker.broker, fill);
      if (broker === simA) dc.listener.onMessage('SIM-A', { ...fill, raw: '8=FIX.4.4|35=8|dc|' });
      if (i === 1) broker.listener.onMessage(broker.broker, report({ execType: 'tradeCancel', ordStatus: 'new', clOrdId, execRefId: fill.execId, cumQty: '0', leavesQty: '100' }));
      if (i === 2) await d.desk.call('amendOrder', { orderId: r.value.orderId, quantity: '200' });
      if (i === 3) await d.desk.call('cancelOrder', { orderId: r.value.orderId });
    }
    simA.listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: 'NOT-OURS' }));
  }

  /** What the desk shows, the parts that do not depend on when it was opened. */
  function shown(d: Opened) {
    const { orders, executions, alerts } = d.snapshot;
    return { orders, executions, alerts };
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'desk-snapshots-'));
    clock = new TestClock();
  });
  afterEach(async () => {
    for (const d of opened.splice(0)) await d.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a snapshot at a clean stop and starts from it next time, showing exactly what a full replay shows', async () => {
    const first = await open();
    await trade(first);
    await stop(first);
    const lastSeq = sql<number>('SELECT max(seq) FROM events')[0];
    expect(sql<number>('SELECT seq FROM snapshots')).toEqual([lastSeq]);

    // The same journal without its snapshot: the full replay the snapshot stands in for.
    const replayDir = join(dir, 'replay');
    cpSync(join(dir, 'desk.sqlite'), join(replayDir, 'desk.sqlite'));
    const db = new Database(join(replayDir, 'desk.sqlite'));
    db.exec('DELETE FROM snapshots; DELETE FROM snapshot_block_refs; DELETE FROM snapshot_blocks;');
    db.close();

    const second = await open();
    expect(replayedLine(second)).toMatchObject({ snapshotSeq: lastSeq, replayed: 0 });
    const third = await open(replayDir);
    expect(replayedLine(third)).toMatchObject({ snapshotSeq: 0, replayed: lastSeq });
    expect(shown(second)).toEqual(shown(third));
    expect(JSON.stringify(shown(second))).toBe(JSON.stringify(shown(third)));
    expect(second.snapshot.orders.length).toBe(5);

    // The drop-copy memory came back too: a drop copy resending an execution it delivered before is not journaled again.
    const fillOfFirst = second.snapshot.executions.find((e) => e.broker === 'SIM-A' && e.execType === 'trade');
    const events = () => sql<number>("SELECT count(*) FROM events WHERE type = 'dropCopyReceived'")[0];
    const before = events();
    (second.dropCopies.get('SIM-A') as FakeBroker).listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: fillOfFirst?.clOrdId ?? '', execId: fillOfFirst?.execId ?? '', lastQty: '40', lastPx: '150.25', cumQty: '40', side: 'buy' }));
    expect(events()).toBe(before);
  });

  it('starts from the snapshot and the events after it when the desk was killed, not stopped', async () => {
    const first = await open();
    await trade(first);
    await stop(first);
    // After a restart, more trading; then the process dies (no stop: no snapshot of these).
    const second = await open();
    await trade(second);
    const killedAt = sql<number>('SELECT max(seq) FROM events')[0] as number;
    const snapshotSeq = sql<number>('SELECT max(seq) FROM snapshots')[0] as number;
    expect(snapshotSeq).toBeLessThan(killedAt);
    const copyDir = join(dir, 'killed');
    const replayDir = join(dir, 'replay');
    for (const to of [copyDir, replayDir]) for (const file of ['desk.sqlite', 'desk.sqlite-wal']) cpSync(join(dir, file), join(to, file));
    const db = new Database(join(replayDir, 'desk.sqlite'));
    db.exec('DELETE FROM snapshots; DELETE FROM snapshot_block_refs; DELETE FROM snapshot_blocks;');
    db.close();

    const third = await open(copyDir);
    expect(replayedLine(third)).toMatchObject({ snapshotSeq, replayed: killedAt - snapshotSeq });
    expect(third.snapshot.orders.length).toBe(10);
    const fourth = await open(replayDir);
    expect(replayedLine(fourth)).toMatchObject({ snapshotSeq: 0, replayed: killedAt });
    expect(JSON.stringify(shown(third))).toBe(JSON.stringify(shown(fourth)));
  });

  it('a damaged snapshot: a log line, a full replay, the same desk', async () => {
    const first = await open();
    await trade(first);
    await stop(first);
    const intact = await open();
    const shownBefore = shown(intact);
    await stop(intact);
    const db = new Database(join(dir, 'desk.sqlite'));
    db.exec("UPDATE snapshot_blocks SET data = zeroblob(length(data))");
    db.close();

    const after = await open();
    expect(after.logs.find((l) => l.message === 'snapshot ignored: falling back to an older one or to a full replay')?.reason).toMatch(/damaged/);
    expect(replayedLine(after)).toMatchObject({ snapshotSeq: 0 });
    expect(JSON.stringify(shown(after))).toBe(JSON.stringify(shownBefore));
  });

  /** A kill -9 now: the data folder as the disk holds it (the journal's file and its WAL), opened elsewhere. */
  function killedCopy(name: string): string {
    const to = join(dir, name);
    for (const file of ['desk.sqlite', 'desk.sqlite-wal']) cpSync(join(dir, file), join(to, file));
    return to;
  }

  /** Every order the summaries hold, as a search reads them, in the order of the published snapshot. */
  async function searched(d: Opened) {
    const page = await d.desk.call('searchOrders', { view: 'all', limit: 100 });
    if (!page.ok) throw new Error(page.error.message);
    const byId = new Map(page.value.orders.map((o) => [o.orderId, o]));
    expect(byId.size).toBe(page.value.orders.length);
    return d.snapshot.orders.map((o) => byId.get(o.orderId));
  }

  it('the order summaries lag the journal; killed before they were written, the next start catches them up: a search shows every order as the fold does', async () => {
    const first = await open();
    await trade(first);
    // No time passed on the clock: every summary still waits (in memory only; the journal has it all).
    expect(sql<number>('SELECT count(*) FROM order_summaries')[0]).toBe(0);
    const lastSeq = sql<number>('SELECT max(seq) FROM events')[0];
    const killed = await open(killedCopy('killed'));
    expect(killed.snapshot.orders).toHaveLength(5);
    expect(await searched(killed)).toEqual(killed.snapshot.orders);
    expect(replayedLine(killed)).toMatchObject({ summariesSeq: 0, replayed: lastSeq });
    // Caught up (and written) before the desk went on: every event up to its start's own is in the table.
    expect(Number(sql<string>("SELECT value FROM meta WHERE key = 'summaries_seq'", join(dir, 'killed'))[0])).toBeGreaterThanOrEqual(lastSeq as number);
  });

  it('a periodic snapshot writes the summaries due first (never newer than them): killed after it, the next start restores it and catches the summaries up from there', async () => {
    const policy = { every: 5, checkMs: 10 };
    const first = await open(dir, policy);
    await trade(first);
    expect(sql<number>('SELECT count(*) FROM order_summaries')[0]).toBe(0);
    clock.advance(10); // the policy's check: a snapshot is due (well before SUMMARY_WRITE_MS)
    for (let i = 0; i < 200 && sql<number>('SELECT count(*) FROM snapshots')[0] === 0; i++) await new Promise((r) => setImmediate(r));
    const snapshotSeq = sql<number>('SELECT max(seq) FROM snapshots')[0] as number;
    expect(snapshotSeq).toBeGreaterThan(0);
    expect(Number(sql<string>("SELECT value FROM meta WHERE key = 'summaries_seq'")[0])).toBeGreaterThanOrEqual(snapshotSeq);
    expect(sql<number>('SELECT count(*) FROM order_summaries')[0]).toBe(5);
    await trade(first); // five more orders: their summaries wait again
    const killed = await open(killedCopy('killed'), policy);
    expect(replayedLine(killed)).toMatchObject({ snapshotSeq });
    expect(killed.snapshot.orders).toHaveLength(10);
    expect(await searched(killed)).toEqual(killed.snapshot.orders);
  });

  it('a snapshot newer than the summaries is passed over (a full replay catches them up from their seq)', async () => {
    const first = await open();
    await trade(first);
    await stop(first);
    const db = new Database(join(dir, 'desk.sqlite'));
    db.exec("UPDATE meta SET value = '0' WHERE key = 'summaries_seq'; DELETE FROM order_summaries; DELETE FROM order_cl_ord_ids;");
    db.close();
    const again = await open();
    expect(again.logs.find((l) => l.message === 'snapshot ignored: falling back to an older one or to a full replay')?.reason).toMatch(/beyond what the replay may start after \(0\)/);
    expect(replayedLine(again)).toMatchObject({ snapshotSeq: 0, summariesSeq: 0 });
    expect(await searched(again)).toEqual(again.snapshot.orders);
  });
});
