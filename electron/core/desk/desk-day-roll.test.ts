import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import { parseDeskConfig } from '../config/desk-config';
import { limitTicket, report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import { createDesk } from './create-desk';
import type { Desk } from './desk';
import { FakeBroker } from './fake-broker.test-support';

/** The start of each trading day (desk's calendar: London, 06:00) on the test clock. */
const config = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }],
  tradingDay: { timeZone: 'Europe/London', rollTime: '06:00' },
});

type Snapshot = Extract<DeskStreamMessage, { kind: 'snapshot' }>;

describe('desk: the start of each trading day', () => {
  let dir: string;
  let clock: TestClock;
  let desk: Desk;
  let sim: FakeBroker;
  let messages: DeskStreamMessage[];

  async function open(): Promise<void> {
    desk = createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
      connectBroker: (c, listener, _log, options) => (sim = new FakeBroker(c.name, listener, options.unitOfWork)),
    });
    await desk.start();
    messages = [];
    desk.subscribe((m) => messages.push(m));
  }

  const snapshots = () => messages.filter((m): m is Snapshot => m.kind === 'snapshot');
  /** The orders a window shows: the latest snapshot, then the deltas after it. */
  const shown = () => {
    clock.advance(20);
    const rows = new Map<string, string>();
    for (const m of messages) {
      if (m.kind === 'snapshot') rows.clear();
      if (m.kind === 'snapshot' || m.kind === 'orders') for (const o of m.kind === 'snapshot' ? m.orders : m.rows) rows.set(o.orderId, o.status);
    }
    return [...rows.keys()];
  };
  const events = (type: string) => {
    const db = new Database(join(dir, 'desk.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT payload FROM events WHERE type = ? ORDER BY seq').pluck().all(type).map((p) => JSON.parse(p as string) as Record<string, unknown>);
    } finally {
      db.close();
    }
  };

  async function order(timeInForce: 'day' | 'gtc' = 'day'): Promise<{ orderId: string; clOrdId: string }> {
    const r = await desk.call('submitOrder', { ...limitTicket, timeInForce });
    if (!r.ok) throw new Error(r.error.message);
    sim.listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: r.value.clOrdId, leavesQty: '100' }));
    return r.value;
  }

  function fill(clOrdId: string, execId: string): void {
    sim.listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'filled', clOrdId, execId, lastQty: '100', lastPx: '150.25', cumQty: '100', avgPx: '150.25' }));
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-day-roll-'));
    clock = new TestClock('2026-11-27T09:30:00.000Z'); // Friday, London 09:30 GMT
    await open();
  });
  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('at the roll, orders finished before it leave the screens, working ones stay; the finished ones are still found by their history', async () => {
    expect(events('dayStarted')).toEqual([expect.objectContaining({ day: '2026-11-27' })]); // the journal's first start
    const done = await order();
    fill(done.clOrdId, 'F-1');
    const working = await order();
    const gtc = await order('gtc');
    expect(shown()).toEqual([done.orderId, working.orderId, gtc.orderId]);

    clock.advance(Date.parse('2026-11-28T05:59:59.000Z') - clock.now().getTime());
    expect(snapshots()).toHaveLength(1); // not yet
    clock.advance(1_000);
    expect(events('dayStarted').map((e) => e.day)).toEqual(['2026-11-27', '2026-11-28']);
    const fresh = snapshots()[1] as Snapshot; // every window gets the new day's screens
    expect(fresh.orders.map((o) => o.orderId)).toEqual([working.orderId, gtc.orderId]);
    expect(fresh.executions).toEqual([]);
    expect(shown()).toEqual([working.orderId, gtc.orderId]);

    const history = await desk.call('getOrderHistory', { orderId: done.orderId });
    expect(history.ok && history.value.order).toMatchObject({ orderId: done.orderId, status: 'filled', cumQty: '100' });
    expect(history.ok && history.value.entries.map((e) => e.event)).toEqual(['orderSubmitted', 'fixMessageSent', 'executionReceived', 'executionReceived']);
  });

  it('a broker message about an order of an earlier day takes it back (a bust the next morning), never a DontKnowTrade; a resend of what it had is not journaled again', async () => {
    const done = await order();
    fill(done.clOrdId, 'F-1');
    clock.advance(Date.parse('2026-11-28T07:00:00.000Z') - clock.now().getTime());
    expect(snapshots().at(-1)?.orders).toEqual([]);

    const unmatched = events('unmatchedBrokerMessage').length;
    const received = events('executionReceived').length;
    fill(done.clOrdId, 'F-1'); // the broker resends yesterday's fill (PossDup)
    expect(events('executionReceived')).toHaveLength(received);
    sim.listener.onMessage('SIM-A', report({ execType: 'tradeCancel', ordStatus: 'new', clOrdId: done.clOrdId, execId: 'BUST-1', execRefId: 'F-1', cumQty: '0', leavesQty: '100' }));
    expect(events('unmatchedBrokerMessage')).toHaveLength(unmatched);
    expect(sim.sent.filter((m) => m.type === 'dontKnowTrade')).toEqual([]);
    clock.advance(20);
    const rows = messages.flatMap((m) => (m.kind === 'orders' ? m.rows : []));
    expect(rows.at(-1)).toMatchObject({ orderId: done.orderId, status: 'new', cumQty: '0', leavesQty: '100' });
  });

  it('a desk started on a later day starts that day (the orders finished before it are not loaded); one started the same day does not', async () => {
    const done = await order();
    fill(done.clOrdId, 'F-1');
    const working = await order();
    await desk.stop();
    clock.advance(3_600_000); // the same day
    await open();
    expect(events('dayStarted')).toHaveLength(1);
    expect(snapshots()[0]?.orders.map((o) => o.orderId)).toEqual([done.orderId, working.orderId]);
    await desk.stop();
    clock.advance(3 * 86_400_000); // Monday
    await open();
    expect(events('dayStarted').map((e) => e.day)).toEqual(['2026-11-27', '2026-11-30']);
    expect(snapshots()[0]?.orders.map((o) => o.orderId)).toEqual([working.orderId]);
  });
});
