import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AlertView, ExecutionView, OrderView, SessionView } from '../../../shared/contract/views';
import type { DeskConfig } from '../config/desk-config';
import { parseDeskConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import { SqliteJournal } from '../journal/sqlite-journal';
import { limitTicket, report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import { createDesk } from './create-desk';
import type { Desk } from './desk';
import { FakeBroker } from './fake-broker.test-support';
import { STATUS_REQUESTS_PER_TURN } from './logon-reconciliation';

const baseConfig: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [
    { name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' },
    { name: 'SIM-B', port: 9882, senderCompId: 'MERIDIAN', targetCompId: 'SIM-B' },
  ],
});

/** SIM-A with a drop-copy session (the block is laid over SIM-A's own settings). */
const dropCopyConfig: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [
    { name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A', dropCopy: { port: 9891, senderCompId: 'MERIDIAN-DC', targetCompId: 'SIM-A-DC' } },
    { name: 'SIM-B', port: 9882, senderCompId: 'MERIDIAN', targetCompId: 'SIM-B' },
  ],
});

describe('desk: sessions, reconciliation, drop copy', () => {
  let dir: string;
  let clock: TestClock;
  let brokers: Map<string, FakeBroker>;
  let dropCopies: Map<string, FakeBroker>;
  let desk: Desk;
  let messages: DeskStreamMessage[];
  let config: DeskConfig;

  async function open(withConfig: DeskConfig = config): Promise<Desk> {
    config = withConfig;
    brokers = new Map();
    dropCopies = new Map();
    const d = createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
      connectBroker: (c, listener, _log, options) => {
        const role = options.role;
        const b = new FakeBroker(c.name, listener, options.unitOfWork);
        (role === 'trading' ? brokers : dropCopies).set(c.name, b);
        return b;
      },
    });
    await d.start();
    messages = [];
    d.subscribe((m) => messages.push(m));
    return d;
  }

  function rows<K extends 'orders' | 'executions' | 'sessions' | 'alerts'>(kind: K) {
    clock.advance(20);
    type Row = K extends 'orders' ? OrderView : K extends 'executions' ? ExecutionView : K extends 'sessions' ? SessionView : AlertView;
    return messages.flatMap((m) => (m.kind === 'snapshot' ? (m[kind] as readonly Row[]) : m.kind === kind ? (m.rows as readonly Row[]) : []));
  }
  const latestOrder = (orderId: string) => rows('orders').filter((o) => o.orderId === orderId).at(-1);
  const latestSession = (broker: string) => rows('sessions').filter((s) => s.broker === broker).at(-1);

  async function journalEvents(): Promise<DeskEvent[]> {
    await desk.stop();
    const journal = new SqliteJournal(join(dir, 'desk.sqlite'));
    const events: DeskEvent[] = [];
    journal.replay((e) => events.push(e));
    journal.close();
    desk = await open();
    return events;
  }

  const simA = () => brokers.get('SIM-A')!;
  const simB = () => brokers.get('SIM-B')!;

  async function workingOrder(): Promise<{ orderId: string; clOrdId: string }> {
    const r = await desk.call('submitOrder', limitTicket);
    if (!r.ok) throw new Error(r.error.message);
    simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: r.value.clOrdId, leavesQty: '100', brokerOrderId: 'B-1' }));
    return r.value;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-sessions-test-'));
    clock = new TestClock();
    desk = await open(baseConfig);
  });
  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('session administration', () => {
    it('logs a session out and connects it again, journaling each as an audit event', async () => {
      const out = await desk.call('logoutSession', { broker: 'SIM-B' });
      expect(out.ok && out.value.message).toMatch(/SIM-B logged out/);
      expect(simB().calls).toEqual(['logout: logged out from the session monitor']);
      expect(latestSession('SIM-B')?.state).toBe('stopped');

      const refused = await desk.call('submitOrder', { ...limitTicket, broker: 'SIM-B' });
      expect(refused.ok ? 'ok' : refused.error).toMatchObject({ code: 'BROKER_UNAVAILABLE', message: expect.stringMatching(/SIM-B is logged out \(from the session monitor at .*\): connect it there first/) });

      const back = await desk.call('connectSession', { broker: 'SIM-B' });
      expect(back.ok).toBe(true);
      expect(latestSession('SIM-B')?.state).toBe('loggedOn');
      expect((await desk.call('submitOrder', { ...limitTicket, broker: 'SIM-B' })).ok).toBe(true);

      const audit = (await journalEvents()).filter((e) => e.type === 'sessionAdministered');
      expect(audit).toEqual([
        expect.objectContaining({ broker: 'SIM-B', session: 'trading', action: 'logout', outcome: 'done' }),
        expect.objectContaining({ broker: 'SIM-B', session: 'trading', action: 'connect', outcome: 'done' }),
      ]);
    });

    it('sets next sequence numbers only with confirm: true and only while logged out', async () => {
      const unconfirmed = await desk.call('setNextSequenceNumbers', { broker: 'SIM-A', incoming: 5 } as never);
      expect(unconfirmed.ok ? 'ok' : unconfirmed.error.fields).toHaveProperty('confirm');
      const nothing = await desk.call('setNextSequenceNumbers', { broker: 'SIM-A', confirm: true });
      expect(nothing.ok ? 'ok' : nothing.error.code).toBe('INVALID_REQUEST');
      const loggedOn = await desk.call('setNextSequenceNumbers', { broker: 'SIM-A', incoming: 5, confirm: true });
      expect(loggedOn.ok ? 'ok' : loggedOn.error).toMatchObject({ code: 'SESSION_LOGGED_ON', message: 'SIM-A is logged on: log it out first' });
      expect(simA().calls).toEqual([]);

      await desk.call('logoutSession', { broker: 'SIM-A' });
      const done = await desk.call('setNextSequenceNumbers', { broker: 'SIM-A', incoming: 5, outgoing: 12, confirm: true });
      expect(done.ok && done.value.message).toBe('SIM-A: the next logon uses incoming 5, outgoing 12');
      expect(latestSession('SIM-A')?.stats).toMatchObject({ nextIncomingSeqNum: 5, nextOutgoingSeqNum: 12 });

      const audit = (await journalEvents()).filter((e) => e.type === 'sessionAdministered');
      expect(audit.map((e) => e.type === 'sessionAdministered' && [e.action, e.values, e.outcome])).toEqual([
        ['logout', undefined, 'done'],
        ['setNextSequenceNumbers', { incoming: 5, outgoing: 12 }, 'done'],
      ]);
    });

    it('refuses an unknown broker and a drop copy that is not configured', async () => {
      const r1 = await desk.call('connectSession', { broker: 'NOPE' });
      const r2 = await desk.call('getFixLog', { broker: 'SIM-A', session: 'dropCopy', limit: 10 });
      expect([r1, r2].map((r) => (r.ok ? 'ok' : r.error.message))).toEqual(['no broker named NOPE', 'SIM-A has no drop-copy session']);
    });

    it('refreshes the session views from stats() once a second, publishing only what changed', async () => {
      rows('sessions');
      messages.length = 0;
      clock.advance(3_000);
      expect(rows('sessions').map((s) => JSON.stringify(s))).toEqual([]); // nothing changed, nothing sent
      simA().figures = { ...simA().figures, nextIncomingSeqNum: 42, lastHeartbeatAt: '2026-11-27T09:30:02.000Z', gapsDetected: 1, heldMessages: 3 };
      clock.advance(900); // (each look at the stream advances 20 ms)
      expect(rows('sessions')).toEqual([]);
      clock.advance(80);
      expect(rows('sessions')).toEqual([
        expect.objectContaining({ broker: 'SIM-A', state: 'loggedOn', stats: expect.objectContaining({ nextIncomingSeqNum: 42, lastHeartbeatAt: '2026-11-27T09:30:02.000Z', gapsDetected: 1, heldMessages: 3 }) }),
      ]);
      // A state change is published at once, with its error.
      messages.length = 0;
      simB().setState('disconnected', 'connection refused');
      expect(rows('sessions')).toEqual([expect.objectContaining({ broker: 'SIM-B', state: 'disconnected', lastError: 'connection refused' })]);
    });

    it('pages through the FIX log, newest first, filtered, raw beside parsed', async () => {
      for (let i = 1; i <= 5; i++) {
        simA().log.push({ id: i, direction: i % 2 ? 'out' : 'in', seqNum: i, msgType: i % 2 ? 'D' : '8', possDup: false, at: '2026-11-27T09:30:00.000Z', raw: `8=FIX.4.4|35=${i % 2 ? 'D' : '8'}|34=${i}|11=ORD-${i}|` });
      }
      const first = await desk.call('getFixLog', { broker: 'SIM-A', limit: 2 });
      if (!first.ok) throw new Error(first.error.message);
      expect(first.value.entries.map((e) => e.id)).toEqual([5, 4]);
      expect(first.value.nextBeforeId).toBe(4);
      expect(first.value.entries[0]).toMatchObject({ msgTypeName: 'NewOrderSingle', direction: 'out', raw: '8=FIX.4.4|35=D|34=5|11=ORD-5|' });
      expect(first.value.entries[0]?.fields).toContainEqual({ tag: 11, name: 'ClOrdID', value: 'ORD-5' });
      const last = await desk.call('getFixLog', { broker: 'SIM-A', limit: 2, beforeId: 2 });
      expect(last.ok && [last.value.entries.map((e) => e.id), last.value.nextBeforeId]).toEqual([[1], undefined]);
      const found = await desk.call('getFixLog', { broker: 'SIM-A', limit: 50, search: 'ord-3' });
      expect(found.ok && found.value.entries.map((e) => e.id)).toEqual([3]);
      const inbound = await desk.call('getFixLog', { broker: 'SIM-A', limit: 50, direction: 'in', msgType: '8' });
      expect(inbound.ok && inbound.value.entries.map((e) => e.id)).toEqual([4, 2]);
      const tooMany = await desk.call('getFixLog', { broker: 'SIM-A', limit: 501 });
      expect(tooMany.ok ? 'ok' : tooMany.error.fields).toHaveProperty('limit');
    });
  });

  describe('reconciliation', () => {
    it('marks an unanswered order uncertain when the session drops, until its status report', async () => {
      const r = await desk.call('submitOrder', limitTicket);
      if (!r.ok) throw new Error();
      const answered = await workingOrder();
      simA().setState('disconnected');
      expect(latestOrder(r.value.orderId)?.uncertain?.reason).toMatch(/the session to SIM-A dropped before the broker answered/);
      expect(latestOrder(answered.orderId)?.uncertain).toBeUndefined();

      simA().setState('loggedOn');
      expect(simA().sent.filter((m) => m.type === 'statusRequest').map((m) => m.type === 'statusRequest' && m.clOrdId)).toEqual([r.value.clOrdId, answered.clOrdId]);
      simA().listener.onMessage('SIM-A', report({ execType: 'orderStatus', ordStatus: 'new', clOrdId: r.value.clOrdId, leavesQty: '100' }));
      expect(latestOrder(r.value.orderId)).toMatchObject({ status: 'new' });
      expect(latestOrder(r.value.orderId)?.uncertain).toBeUndefined();
    });

    it('reconciles a large book turn by turn, the orders it knows least about first, and stops when the session drops', async () => {
      const total = STATUS_REQUESTS_PER_TURN * 2 + 500;
      const ids: string[] = [];
      for (let i = 0; i < total; i++) {
        const r = await desk.call('submitOrder', limitTicket);
        if (!r.ok) throw new Error(r.error.message);
        simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: r.value.clOrdId, leavesQty: '100', brokerOrderId: `B-${i}` }));
        ids.push(r.value.orderId);
      }
      const last = ids.at(-1)!;
      const cancel = await desk.call('cancelOrder', { orderId: last }); // a cancel unanswered
      if (!cancel.ok) throw new Error(cancel.error.message);
      const lastIds = [last, cancel.value.clOrdId];
      const statusRequests = () => simA().sent.filter((m) => m.type === 'statusRequest');
      simA().sent.length = 0;
      const massBefore = simA().massStatusRequests.length;

      simA().setState('stopped');
      simA().setState('loggedOn');
      expect(statusRequests()).toHaveLength(STATUS_REQUESTS_PER_TURN); // the first turn, with the logon
      const first = statusRequests()[0];
      expect(first?.type === 'statusRequest' && lastIds.includes(first.clOrdId)).toBe(true); // the order with a cancel in flight, first
      simA().setState('stopped');
      clock.advance(1);
      expect(statusRequests()).toHaveLength(STATUS_REQUESTS_PER_TURN); // the session dropped: no more
      expect(simA().massStatusRequests).toHaveLength(massBefore);

      simA().sent.length = 0;
      simA().setState('loggedOn');
      clock.advance(1);
      const asked = statusRequests().map((m) => (m.type === 'statusRequest' ? m.clOrdId : ''));
      expect(asked).toHaveLength(total);
      expect(new Set(asked).size).toBe(total);
      expect(simA().massStatusRequests).toHaveLength(massBefore + 1); // after the last status request
    });

    it('marks orders uncertain whose messages the session gap-filled instead of resending, and shows the alert', async () => {
      const r = await desk.call('submitOrder', limitTicket);
      const other = await desk.call('submitOrder', limitTicket);
      if (!r.ok || !other.ok) throw new Error();
      simA().listener.onSessionAlert?.('SIM-A', { level: 'warning', text: 'resend request 3-5: 1 order message too old to replay, gap-filled', clOrdIds: [r.value.clOrdId] });
      expect(latestOrder(r.value.orderId)?.uncertain?.reason).toMatch(/SIM-A asked for our messages again and they were gap-filled, not resent/);
      expect(latestOrder(other.value.orderId)?.uncertain).toBeUndefined();
      expect(rows('alerts').map((a) => a.message)).toContain('SIM-A: resend request 3-5: 1 order message too old to replay, gap-filled');
    });

    it('marks a pending cancel uncertain after a restart, and the status report settles it', async () => {
      const o = await workingOrder();
      await desk.call('cancelOrder', { orderId: o.orderId });
      // A crash: no logout, nothing in the journal says the session dropped.
      simA().listener.onState = () => undefined;
      await desk.stop();
      desk = await open();
      expect(latestOrder(o.orderId)).toMatchObject({ status: 'pendingCancel', uncertain: { reason: expect.stringMatching(/the desk restarted before the broker answered/) } });
      simA().listener.onMessage('SIM-A', report({ execType: 'orderStatus', ordStatus: 'new', clOrdId: o.clOrdId, leavesQty: '100' }));
      const settled = latestOrder(o.orderId);
      expect(settled).toMatchObject({ status: 'new', text: expect.stringMatching(/did not receive our cancel/) });
      expect(settled?.uncertain).toBeUndefined();
    });

    it('shows fills learned from a status report as one reconciled execution, applied once, also after a restart', async () => {
      const o = await workingOrder();
      simA().listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: o.clOrdId, lastQty: '10', lastPx: '150', cumQty: '10', leavesQty: '90', avgPx: '150' }));
      // Missed while away: 30 more at 151 (CumQty 40, AvgPx 150.75).
      const status = report({ execType: 'orderStatus', ordStatus: 'partiallyFilled', clOrdId: o.clOrdId, cumQty: '40', leavesQty: '60', avgPx: '150.75' });
      simA().listener.onMessage('SIM-A', status);
      simA().listener.onMessage('SIM-A', { ...status, possDup: true });
      simA().listener.onMessage('SIM-A', report({ execType: 'orderStatus', ordStatus: 'partiallyFilled', clOrdId: o.clOrdId, cumQty: '40', leavesQty: '60', avgPx: '150.75' }));
      const reconciled = rows('executions').filter((e) => e.reconciled);
      expect(reconciled).toEqual([expect.objectContaining({ execId: status.execId, lastQty: '30', lastPx: '151', cumQty: '40', reconciled: true })]);
      expect(latestOrder(o.orderId)).toMatchObject({ cumQty: '40', avgPx: '150.75', leavesQty: '60' });

      await desk.stop();
      desk = await open();
      const after = rows('executions');
      expect(after.filter((e) => e.reconciled)).toHaveLength(1);
      expect(after).toHaveLength(2);
      expect(latestOrder(o.orderId)).toMatchObject({ cumQty: '40', avgPx: '150.75' });
    });

    it('asks for mass status after the per-order requests and adopts an order the broker knows and we do not, once', async () => {
      expect(simA().massStatusRequests).toHaveLength(1);
      const theirs = { ...report({ execType: 'orderStatus', ordStatus: 'partiallyFilled', clOrdId: 'OTHER-7', brokerOrderId: 'B-77', symbol: 'MSFT', side: 'sell', orderQty: '500', limitPrice: '420', cumQty: '200', leavesQty: '300', avgPx: '419.5' }), massStatusReqId: simA().massStatusRequests[0] };
      simA().listener.onMessage('SIM-A', theirs);
      const adopted = latestOrder('OTHER-7');
      expect(adopted).toMatchObject({ adopted: true, broker: 'SIM-A', symbol: 'MSFT', side: 'sell', quantity: '500', limitPrice: '420', orderType: 'limit', status: 'partiallyFilled', cumQty: '200', avgPx: '419.5', leavesQty: '300' });
      expect(rows('alerts').some((a) => a.level === 'warning' && /knows an order the desk did not: adopted as OTHER-7/.test(a.message))).toBe(true);
      expect(rows('executions')).toEqual([expect.objectContaining({ orderId: 'OTHER-7', reconciled: true, lastQty: '200', lastPx: '419.5' })]);

      // The next mass status names it again: a status report of an order we now know, not a second adoption.
      simA().listener.onMessage('SIM-A', { ...theirs, execId: 'E-again', cumQty: '250', avgPx: '419.6' });
      expect(rows('orders').filter((o) => o.adopted).map((o) => o.orderId)).toEqual(['OTHER-7', 'OTHER-7']);
      expect(latestOrder('OTHER-7')?.cumQty).toBe('250');

      // And after a restart it is still one order.
      await desk.stop();
      desk = await open();
      expect(rows('orders').filter((o) => o.adopted)).toHaveLength(1);
    });

    it('takes a "no open orders" answer to the mass status quietly: no adoption, no DK, no alert', async () => {
      const ms = simA().massStatusRequests[0];
      simA().listener.onMessage('SIM-A', { ...report({ execType: 'orderStatus', ordStatus: 'rejected', clOrdId: 'NONE', symbol: '[N/A]', text: 'no open orders' }), massStatusReqId: ms, totNumReports: 0, lastRptRequested: true });
      expect(rows('orders')).toEqual([]);
      expect(rows('alerts')).toEqual([]);
      expect(simA().sent).toEqual([]);
    });

    it('never adopts an order it knows under another ClOrdID of its chain, or by the broker OrderID', async () => {
      const o = await workingOrder();
      const amend = await desk.call('amendOrder', { orderId: o.orderId, quantity: '200' });
      if (!amend.ok) throw new Error();
      const ms = simA().massStatusRequests[0];
      simA().listener.onMessage('SIM-A', { ...report({ execType: 'orderStatus', ordStatus: 'new', clOrdId: amend.value.clOrdId, origClOrdId: o.clOrdId, symbol: 'AAPL', side: 'buy', orderQty: '200', leavesQty: '200' }), massStatusReqId: ms });
      simA().listener.onMessage('SIM-A', { ...report({ execType: 'orderStatus', ordStatus: 'new', clOrdId: 'SOMEONE-ELSES', brokerOrderId: 'B-1', symbol: 'AAPL', side: 'buy', orderQty: '200', leavesQty: '200' }), massStatusReqId: ms });
      expect(rows('orders').filter((r) => r.adopted)).toEqual([]);
      expect(latestOrder(o.orderId)).toMatchObject({ quantity: '200', liveClOrdId: amend.value.clOrdId });
    });
  });

  describe('drop copy', () => {
    beforeEach(async () => {
      await desk.stop();
      desk = await open(dropCopyConfig);
    });

    const fill = (clOrdId: string, execId: string, lastQty = '10', lastPx = '150') =>
      report({ execId, execType: 'trade', ordStatus: 'partiallyFilled', clOrdId, side: 'buy', lastQty, lastPx, cumQty: lastQty, leavesQty: '90', avgPx: lastPx });
    const dc = () => dropCopies.get('SIM-A')!;
    const mismatchAlerts = () => rows('alerts').filter((a) => /Drop copy mismatch/.test(a.message));

    it('opens a drop-copy session beside the trading session and shows its state', async () => {
      expect([...dropCopies.keys()]).toEqual(['SIM-A']);
      expect(latestSession('SIM-A')?.dropCopy).toMatchObject({ state: 'loggedOn', port: 9891, senderCompId: 'MERIDIAN-DC', targetCompId: 'SIM-A-DC', mismatches: 0 });
      expect(latestSession('SIM-B')?.dropCopy).toBeUndefined();
    });

    it('matches executions both sessions delivered, in either order, and changes no order with the drop copy', async () => {
      const o = await workingOrder();
      dc().listener.onMessage('SIM-A', fill(o.clOrdId, 'X-1'));
      expect(latestOrder(o.orderId)?.cumQty).toBe('0'); // a drop copy is never applied
      clock.advance(1_000);
      simA().listener.onMessage('SIM-A', fill(o.clOrdId, 'X-1'));
      simA().listener.onMessage('SIM-A', fill(o.clOrdId, 'X-2', '5', '150.5'));
      clock.advance(2_000);
      dc().listener.onMessage('SIM-A', fill(o.clOrdId, 'X-2', '5.0', '150.50'));
      clock.advance(10_000);
      expect(mismatchAlerts()).toEqual([]);
      expect(latestSession('SIM-A')?.dropCopy).toMatchObject({ mismatches: 0, awaitingMatch: 0 });
      expect(latestOrder(o.orderId)?.cumQty).toBe('15');
      const events = await journalEvents();
      expect(events.filter((e) => e.type === 'dropCopyReceived').map((e) => e.type === 'dropCopyReceived' && e.report.execId)).toEqual(['X-1', 'X-2']);
    });

    it('raises missing, extra and different executions after the grace period', async () => {
      const o = await workingOrder();
      simA().listener.onMessage('SIM-A', fill(o.clOrdId, 'T-ONLY'));
      dc().listener.onMessage('SIM-A', fill(o.clOrdId, 'DC-ONLY', '7'));
      simA().listener.onMessage('SIM-A', fill(o.clOrdId, 'BOTH', '10', '150'));
      dc().listener.onMessage('SIM-A', fill(o.clOrdId, 'BOTH', '10', '149.99'));
      expect(mismatchAlerts().map((a) => [a.level, a.message])).toEqual([['error', expect.stringMatching(/execution BOTH differs: price 150 on the trading session, 149.99 on the drop copy/)]]);
      expect(latestSession('SIM-A')?.dropCopy).toMatchObject({ mismatches: 1, awaitingMatch: 2 });
      clock.advance(4_900); // (each look at the stream advances 20 ms)
      expect(mismatchAlerts()).toHaveLength(1);
      clock.advance(100);
      const alerts = mismatchAlerts();
      expect(alerts.map((a) => [a.level, a.orderId])).toEqual([
        ['error', o.orderId],
        ['warning', o.orderId],
        ['error', o.orderId],
      ]);
      expect(alerts[1]?.message).toMatch(/the drop copy never delivered execution T-ONLY/);
      expect(alerts[2]?.message).toMatch(/the trading session never delivered execution DC-ONLY \(trade buy 7 @ 150/);
      expect(latestSession('SIM-A')?.dropCopy).toMatchObject({ mismatches: 3, awaitingMatch: 0, lastMismatch: expect.stringMatching(/DC-ONLY/) });
    });

    it('waits while the other session is down instead of calling everything missing', async () => {
      const o = await workingOrder();
      dc().setState('disconnected');
      simA().listener.onMessage('SIM-A', fill(o.clOrdId, 'T-1'));
      clock.advance(20_000);
      expect(mismatchAlerts()).toEqual([]);
      dc().setState('loggedOn');
      dc().listener.onMessage('SIM-A', { ...fill(o.clOrdId, 'T-1'), possDup: true });
      clock.advance(20_000);
      expect(mismatchAlerts()).toEqual([]);
    });
  });
});
