import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AlertView, OrderView } from '../../../shared/contract/views';
import type { RequestRejectMessage } from '../broker/broker-port';
import type { BrokerConfigInput, DeskConfig } from '../config/desk-config';
import { parseDeskConfig } from '../config/desk-config';
import type { DeskEvent } from '../journal/desk-events';
import { SqliteJournal } from '../journal/sqlite-journal';
import { limitTicket, report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import { createDesk } from './create-desk';
import type { Desk } from './desk';
import { FakeBroker } from './fake-broker.test-support';

/**
 * The desk against brokers that answer as real engines do: 35=3 / 35=j of our requests, silence,
 * reused ExecIDs, no cancel/replace; with the journaled alert list. The broker is a fake here (the
 * same cases over real FIX against the simulator: integration-tests/broker-behaviours.test.ts); the
 * clock is a TestClock, so every timeout is driven, never waited for.
 */

const broker = (name: string, extra: Partial<BrokerConfigInput> = {}): BrokerConfigInput => ({ name, port: 9881, senderCompId: 'MERIDIAN', targetCompId: name, ...extra });
const timeouts = { newOrderSeconds: 10, cancelSeconds: 10, replaceSeconds: 10, statusSeconds: 5 };

const baseConfig: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [
    broker('SIM-A', { timeouts, statusRequestAttempts: 2 }),
    broker('SIM-42', { fixVersion: 'FIX.4.2', port: 9882, capabilities: { cancelReplace: false } }),
    broker('SIM-NS', { port: 9883, timeouts, capabilities: { orderStatusRequest: false, massStatusRequest: false } }),
  ],
});

function reject(rejected: RequestRejectMessage['rejected'], clOrdId: string | undefined, extra: Partial<RequestRejectMessage> = {}): RequestRejectMessage {
  return {
    type: 'requestReject',
    level: 'business',
    rejected,
    rejectedMessage: 'a message',
    ...(clOrdId !== undefined && { clOrdId }),
    reason: 'Unsupported message type (BusinessRejectReason 3)',
    possDup: false,
    seqNum: 7,
    raw: '8=FIX.4.4|35=j|',
    ...extra,
  };
}

describe('desk: what real brokers answer', () => {
  let dir: string;
  let clock: TestClock;
  let brokers: Map<string, FakeBroker>;
  let desk: Desk;
  let messages: DeskStreamMessage[];

  async function open(config: DeskConfig = baseConfig): Promise<Desk> {
    brokers = new Map();
    const d = createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
      operator: 'jo',
      connectBroker: (c, listener, _log, options) => {
        const b = new FakeBroker(c.name, listener, options.unitOfWork);
        brokers.set(c.name, b);
        return b;
      },
    });
    await d.start();
    messages = [];
    d.subscribe((m) => messages.push(m));
    return d;
  }

  async function restart(config?: DeskConfig): Promise<void> {
    await desk.stop();
    desk = await open(config);
  }

  function latest(orderId: string): OrderView | undefined {
    clock.advance(0);
    let found: OrderView | undefined;
    for (const m of messages) for (const o of m.kind === 'snapshot' ? m.orders : m.kind === 'orders' ? m.rows : []) if (o.orderId === orderId) found = o;
    return found;
  }

  /** The alert list as a window holding the snapshot and every delta shows it. */
  function alerts(): AlertView[] {
    clock.advance(0);
    const rows = new Map<string, AlertView>();
    for (const m of messages) for (const a of m.kind === 'snapshot' ? m.alerts : m.kind === 'alerts' ? m.rows : []) rows.set(a.id, a);
    return [...rows.values()];
  }

  async function journal(): Promise<DeskEvent[]> {
    await desk.stop();
    const j = new SqliteJournal(join(dir, 'desk.sqlite'));
    const events: DeskEvent[] = [];
    j.replay((e) => events.push(e));
    j.close();
    desk = await open();
    return events;
  }

  async function submit(to = 'SIM-A', ticket = limitTicket): Promise<{ orderId: string; clOrdId: string }> {
    const r = await desk.call('submitOrder', { ...ticket, broker: to });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  const sim = (name = 'SIM-A') => brokers.get(name)!;
  const answer = (clOrdId: string, extra: Partial<Parameters<typeof report>[0]> = {}, name = 'SIM-A') =>
    sim(name).listener.onMessage(name, report({ execType: 'new', ordStatus: 'new', clOrdId, leavesQty: '100', ...extra }));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-answers-'));
    clock = new TestClock('2026-12-06T09:00:00.000Z');
    desk = await open();
  });
  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('35=3 and 35=j tied to what we sent', () => {
    it('a refused NewOrderSingle rejects the order with the broker\'s reason, journaled: a restart shows the same', async () => {
      const { orderId, clOrdId } = await submit();
      sim().listener.onMessage(
        'SIM-A',
        reject('newOrder', clOrdId, { level: 'session', refSeqNum: 5, field: 'OrdType (40)', reason: 'Value is incorrect (out of range) for this tag (SessionRejectReason 5)', text: 'market orders not accepted' }),
      );
      expect(latest(orderId)).toMatchObject({ status: 'rejected', leavesQty: '0', text: expect.stringMatching(/^SIM-A rejected the order: OrdType \(40\): Value is incorrect/) });
      expect(alerts()).toContainEqual(expect.objectContaining({ level: 'error', code: 'BROKER_REJECT', orderId, message: expect.stringMatching(`^SIM-A rejected the new order for order ${orderId}: OrdType`) }));
      expect(alerts().some((a) => /malformed/i.test(a.message))).toBe(false);
      const events = await journal();
      expect(events.filter((e) => e.type === 'brokerRejectReceived')).toHaveLength(1);
      expect(latest(orderId)).toMatchObject({ status: 'rejected' }); // rebuilt by the replay
      expect(alerts().filter((a) => a.code === 'BROKER_REJECT')).toHaveLength(1);
    });

    it('a refused amend restores the order and makes it cancellable again; a refused cancel likewise', async () => {
      const { orderId, clOrdId } = await submit();
      answer(clOrdId);
      const amend = await desk.call('amendOrder', { orderId, quantity: '150' });
      if (!amend.ok) throw new Error(amend.error.message);
      expect((await desk.call('cancelOrder', { orderId })).ok).toBe(false); // an amend is pending
      sim().listener.onMessage('SIM-A', reject('replace', amend.value.clOrdId));
      expect(latest(orderId)).toMatchObject({ status: 'new', quantity: '100', text: expect.stringMatching(/^amend rejected by SIM-A/) });
      expect(latest(orderId)?.pending).toBeUndefined();
      const cancel = await desk.call('cancelOrder', { orderId });
      expect(cancel.ok).toBe(true);
      if (!cancel.ok) return;
      sim().listener.onMessage('SIM-A', reject('cancel', cancel.value.clOrdId, { level: 'session', reason: 'Required tag missing (SessionRejectReason 1)' }));
      expect(latest(orderId)).toMatchObject({ status: 'new', text: expect.stringMatching(/^cancel rejected by SIM-A: Required tag missing/) });
    });

    it('a refused mass status request, or a reject naming nothing of ours, is an alert saying what was refused', async () => {
      sim().listener.onMessage('SIM-A', reject('massStatusRequest', undefined, { massStatusReqId: 'MS-1', rejectedMessage: 'OrderMassStatusRequest (35=AF)' }));
      sim().listener.onMessage('SIM-A', reject('other', undefined, { level: 'session', refSeqNum: 99, rejectedMessage: 'a message', uncorrelated: 'RefSeqNum 99 is no message the desk still has in this sequence' }));
      expect(alerts()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^SIM-A rejected our OrderMassStatusRequest \(35=AF\) MS-1: Unsupported message type/) }),
          expect.objectContaining({ level: 'error', message: expect.stringMatching(/MsgSeqNum 99.*not tied to a message of ours/) }),
        ]),
      );
    });
  });

  describe('capabilities', () => {
    it('tells the screens what each broker takes; refuses an amend to a broker without cancel/replace; sends FIX 4.2 no 35=AF', async () => {
      const snapshot = messages.find((m) => m.kind === 'snapshot');
      expect(snapshot?.kind === 'snapshot' && snapshot.reference.capabilities).toEqual({
        'SIM-A': { cancelReplace: true, orderStatusRequest: true, massStatusRequest: true, chainedRequests: false },
        'SIM-42': { cancelReplace: false, orderStatusRequest: true, massStatusRequest: false, chainedRequests: false },
        'SIM-NS': { cancelReplace: true, orderStatusRequest: false, massStatusRequest: false, chainedRequests: false },
      });
      expect(sim('SIM-A').massStatusRequests).toHaveLength(1);
      expect(sim('SIM-42').massStatusRequests).toEqual([]);
      const { orderId, clOrdId } = await submit('SIM-42');
      answer(clOrdId, {}, 'SIM-42');
      const amend = await desk.call('amendOrder', { orderId, quantity: '150' });
      expect(amend).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED_BY_BROKER', message: expect.stringMatching(/SIM-42 takes no cancel\/replace/) } });
      expect(sim('SIM-42').sent.filter((m) => m.type === 'replace')).toEqual([]);
      expect((await desk.call('cancelOrder', { orderId })).ok).toBe(true);
    });
  });

  describe('timeouts on the injected clock', () => {
    it('a silent cancel: no answer from SIM-A, an alert, a status request; a cancel is still allowed', async () => {
      const { orderId, clOrdId } = await submit();
      answer(clOrdId);
      const cancel = await desk.call('cancelOrder', { orderId });
      if (!cancel.ok) throw new Error(cancel.error.message);
      clock.advance(9_999);
      expect(latest(orderId)?.uncertain).toBeUndefined();
      clock.advance(1);
      expect(latest(orderId)).toMatchObject({ status: 'pendingCancel', uncertain: { label: 'no answer from SIM-A' } });
      expect(alerts()).toContainEqual(expect.objectContaining({ code: 'NO_ANSWER', orderId, message: expect.stringMatching(/No answer from SIM-A to the cancel .* within 10 s: asking for its status/) }));
      expect(sim().sent.at(-1)).toMatchObject({ type: 'statusRequest', clOrdId });
      expect((await desk.call('cancelOrder', { orderId })).ok).toBe(true);
      // The broker answers the status: the order is settled.
      answer(clOrdId, { execType: 'orderStatus', ordStatus: 'new' });
      expect(latest(orderId)?.uncertain).toBeUndefined();
    });

    it('a deadline survives a restart: it runs from the journaled send time, and waits for a logon', async () => {
      const { orderId, clOrdId } = await submit('SIM-NS');
      answer(clOrdId, {}, 'SIM-NS');
      await desk.call('cancelOrder', { orderId });
      clock.advance(4_000);
      await restart();
      // Restarted 4 s into a 10 s timeout: the order is in doubt (the session went with the desk), its cancel still awaited...
      expect(latest(orderId)?.uncertain?.reason).toMatch(/the session to SIM-NS dropped/);
      clock.advance(5_999);
      expect(alerts().filter((a) => a.code === 'NO_ANSWER')).toEqual([]);
      // ...not before a status timeout (5 s) after the logon, and past its own 10 s.
      clock.advance(1);
      expect(alerts()).toContainEqual(expect.objectContaining({ code: 'NO_ANSWER', orderId }));
      // SIM-NS takes no status requests: a person is asked to settle it.
      expect(sim('SIM-NS').sent.filter((m) => m.type === 'statusRequest')).toEqual([]);
      expect(alerts()).toContainEqual(expect.objectContaining({ level: 'error', code: 'STATUS_UNAVAILABLE', orderId, message: expect.stringMatching(/check it with SIM-NS and mark it settled/) }));
    });

    it('a filled order with an amend unanswered is asked about at logon (C.1.c), and settled by its status', async () => {
      const { orderId, clOrdId } = await submit();
      answer(clOrdId);
      sim().listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'filled', clOrdId, lastQty: '100', lastPx: '150', cumQty: '100', avgPx: '150' }));
      const amend = await desk.call('amendOrder', { orderId, quantity: '200' });
      if (!amend.ok) throw new Error(amend.error.message);
      await restart();
      expect(latest(orderId)).toMatchObject({ status: 'filled', uncertain: expect.objectContaining({ since: expect.any(String) }) });
      expect(sim().sent.filter((m) => m.type === 'statusRequest' && m.clOrdId === clOrdId)).toHaveLength(1);
      answer(clOrdId, { execType: 'orderStatus', ordStatus: 'filled', cumQty: '100', avgPx: '150', leavesQty: '0' });
      expect(latest(orderId)).toMatchObject({ status: 'filled', text: expect.stringMatching(/did not receive our amend/) });
      expect(latest(orderId)?.uncertain).toBeUndefined();
      expect(latest(orderId)?.pending).toBeUndefined();
    });

    it('a deadline that falls while the session is down runs out a status timeout after the next logon', async () => {
      const { orderId } = await submit();
      sim().setState('disconnected');
      clock.advance(60_000);
      expect(alerts().filter((a) => a.code === 'NO_ANSWER')).toEqual([]);
      sim().setState('loggedOn');
      clock.advance(4_999);
      expect(alerts().filter((a) => a.code === 'NO_ANSWER' && a.orderId === orderId)).toEqual([]);
      clock.advance(1);
      expect(alerts().filter((a) => a.code === 'NO_ANSWER' && a.orderId === orderId)).not.toEqual([]);
    });

    /** What a FIX session store throws when the journal's disk is full (the real case: integration-tests/data-folder/disk-full.test.ts). */
    const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    /** Until the desk read its state back after the failed commit (a few turns). */
    const readBack = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    };
    const noAnswer = (orderId: string) => alerts().filter((a) => a.code === 'NO_ANSWER' && a.orderId === orderId);

    it('a request whose unit of work failed to commit (a full disk) gets no timeout, not even under the order ID a later one reuses', async () => {
      // Two orders in one turn share one commit; the second cannot be stored, so neither happened.
      const first = desk.call('submitOrder', limitTicket);
      sim().refuse = diskFull();
      const second = desk.call('submitOrder', { ...limitTicket, quantity: '7' });
      sim().refuse = undefined;
      expect(await first).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL' } });
      expect(await second).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL' } });
      await readBack();
      clock.advance(6_000);
      // The journal numbers its events again from what it holds: this order takes the first one's ID.
      const { orderId, clOrdId } = await submit();
      clock.advance(9_999); // 16 s after the refused one, 10 s after this one's send but 1 ms
      expect(noAnswer(orderId)).toEqual([]);
      expect(sim().sent.filter((m) => m.type === 'statusRequest' && m.clOrdId === clOrdId)).toEqual([]);
      clock.advance(1);
      expect(noAnswer(orderId)).toHaveLength(1);
    });

    it('a status check whose commit failed (a full disk) is not lost: rebuilt from the state read back, it is asked again', async () => {
      const { orderId, clOrdId } = await submit();
      sim().refuse = diskFull();
      clock.advance(10_000); // timed out (journaled); the status request cannot be stored
      await readBack();
      expect(latest(orderId)?.uncertain?.label).toBe('no answer from SIM-A');
      expect(sim().sent.filter((m) => m.type === 'statusRequest')).toEqual([]);
      sim().refuse = undefined;
      clock.advance(5_000); // a status timeout later
      expect(sim().sent.filter((m) => m.type === 'statusRequest' && m.clOrdId === clOrdId)).toHaveLength(1);
    });

    it('status requests refused or unanswered are retried up to the attempts, then a person is asked to settle', async () => {
      const { orderId, clOrdId } = await submit();
      clock.advance(10_000); // the new order times out: status request 1
      const statusRequests = () => sim().sent.filter((m) => m.type === 'statusRequest').length;
      expect(statusRequests()).toBe(1);
      sim().listener.onMessage('SIM-A', reject('statusRequest', clOrdId));
      expect(latest(orderId)?.uncertain?.label).toBe('status refused by SIM-A');
      clock.advance(5_000); // retried a status timeout later
      expect(statusRequests()).toBe(2);
      clock.advance(5_000); // unanswered: attempts (2) used up
      expect(statusRequests()).toBe(2);
      expect(alerts()).toContainEqual(expect.objectContaining({ level: 'error', code: 'STATUS_UNAVAILABLE', orderId, message: expect.stringMatching(/gave no status after 2 attempt/) }));
      clock.advance(60_000);
      expect(statusRequests()).toBe(2);
      // A new logon does not ask again about an order whose checks are used up.
      sim().setState('disconnected');
      sim().setState('loggedOn');
      expect(statusRequests()).toBe(2);
      // A person settles it (audited), which the order's history shows.
      expect(await desk.call('settleOrder', { orderId, outcome: 'canceled', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(await desk.call('settleOrder', { orderId, outcome: 'asShown', reason: 'SIM-A desk (Sam) confirms it is working' })).toEqual({ ok: true, value: { orderId } });
      expect(latest(orderId)).toMatchObject({ status: 'new', text: 'settled by jo (as shown): SIM-A desk (Sam) confirms it is working' });
      expect(latest(orderId)?.uncertain).toBeUndefined();
      expect(await desk.call('settleOrder', { orderId, outcome: 'asShown', reason: 'again' })).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_SETTLEABLE' } });
      const history = await desk.call('getOrderHistory', { orderId });
      expect(history.ok && history.value.entries.map((e) => e.summary)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^No answer from SIM-A to the new order/), expect.stringMatching(/^SIM-A rejected the status request/), 'Settled by jo (as shown): SIM-A desk (Sam) confirms it is working']),
      );
    });
  });

  describe('ExecIDs', () => {
    it('a reused ExecID on another order applies there, with a warning about the broker; a true duplicate applies once', async () => {
      const a = await submit();
      const b = await submit();
      answer(a.clOrdId);
      answer(b.clOrdId);
      const fill = (clOrdId: string) => report({ execId: 'E-1', execType: 'trade', ordStatus: 'partiallyFilled', clOrdId, lastQty: '10', lastPx: '150', cumQty: '10', leavesQty: '90', avgPx: '150' });
      sim().listener.onMessage('SIM-A', fill(a.clOrdId));
      sim().listener.onMessage('SIM-A', fill(b.clOrdId));
      sim().listener.onMessage('SIM-A', { ...fill(b.clOrdId), possDup: true });
      expect(latest(a.orderId)?.cumQty).toBe('10');
      expect(latest(b.orderId)).toMatchObject({ cumQty: '10', status: 'partiallyFilled' });
      expect(alerts()).toContainEqual(
        expect.objectContaining({ level: 'warning', code: 'EXEC_ID_REUSED', orderId: b.orderId, message: expect.stringMatching(`SIM-A reused ExecID E-1 \\(first sent for order ${a.orderId}\\)`) }),
      );
      const keys = messages.flatMap((m) => (m.kind === 'executions' ? m.rows.map((r) => r.execKey) : []));
      expect(new Set(keys).size).toBe(2);
      await restart();
      sim().listener.onMessage('SIM-A', fill(b.clOrdId)); // after a restart, still a duplicate
      expect(latest(b.orderId)?.cumQty).toBe('10');
    });
  });

  describe('the alert list', () => {
    it('collapses repeats, keeps errors past any number of warnings, survives a restart, and is acknowledged by a person (journaled)', async () => {
      const listener = sim().listener;
      for (let i = 0; i < 3; i++) listener.onMalformed('SIM-A', `CumQty (14) '${i}x' is not a decimal`, '8=FIX.4.4|35=8|');
      for (let i = 0; i < 400; i++) listener.onSessionAlert?.('SIM-A', { level: 'warning', text: `garbled ${'x'.repeat(i % 50)}` });
      const malformed = alerts().filter((a) => a.code === 'MALFORMED_MESSAGE');
      expect(malformed).toEqual([expect.objectContaining({ count: 3, level: 'error', firstAt: expect.any(String), message: "SIM-A sent a malformed message (ignored): CumQty (14) '2x' is not a decimal" })]);
      await restart();
      const after = alerts();
      expect(after.filter((a) => a.level === 'warning')).toHaveLength(50); // distinct wordings, each collapsed
      expect(after.find((a) => a.code === 'MALFORMED_MESSAGE')).toMatchObject({ count: 3 });
      const id = after.find((a) => a.code === 'MALFORMED_MESSAGE')!.id;
      expect(await desk.call('acknowledgeAlerts', { alertIds: [id, 'A-999999'] })).toEqual({ ok: true, value: { acknowledged: 1 } });
      expect(alerts().find((a) => a.id === id)?.acknowledged).toEqual({ by: 'jo', at: clock.now().toISOString() });
      expect(await desk.call('acknowledgeAlerts', { alertIds: ['A-999999'] })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      const events = await journal();
      expect(events.filter((e) => e.type === 'alertsAcknowledged')).toEqual([expect.objectContaining({ by: 'jo', alertIds: [id] })]);
      expect(alerts().find((a) => a.id === id)?.acknowledged?.by).toBe('jo');
      // A new occurrence needs attention again.
      sim().listener.onMalformed('SIM-A', "CumQty (14) '9x' is not a decimal", '8=FIX.4.4|35=8|');
      expect(alerts().find((a) => a.id === id)).toMatchObject({ count: 4 });
      expect(alerts().find((a) => a.id === id)?.acknowledged).toBeUndefined();
    });
  });
});
