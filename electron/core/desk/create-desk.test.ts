import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { OrderView } from '../../../shared/contract/views';
import type { DeskConfig } from '../config/desk-config';
import { parseDeskConfig } from '../config/desk-config';
import { report, limitTicket } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import type { Desk } from './desk';
import { createDesk } from './create-desk';
import { FakeBroker } from './fake-broker.test-support';

const config: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [
    { name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' },
    { name: 'SIM-B', port: 9882, senderCompId: 'MERIDIAN', targetCompId: 'SIM-B' },
  ],
});

describe('desk', () => {
  let dir: string;
  let clock: TestClock;
  let brokers: Map<string, FakeBroker>;
  let desk: Desk;
  let messages: DeskStreamMessage[];

  async function open(): Promise<Desk> {
    brokers = new Map();
    const d = createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
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

  function latestOrders(): Map<string, OrderView> {
    clock.advance(20);
    const rows = new Map<string, OrderView>();
    for (const m of messages) {
      if (m.kind === 'snapshot' || m.kind === 'orders') for (const o of m.kind === 'snapshot' ? m.orders : m.rows) rows.set(o.orderId, o);
    }
    return rows;
  }

  const simA = () => brokers.get('SIM-A')!;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-test-'));
    clock = new TestClock();
    desk = await open();
  });
  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('journals a ticket, sends the NewOrderSingle and shows the broker ack', async () => {
    const result = await desk.call('submitOrder', limitTicket);
    if (!result.ok) throw new Error(result.error.message);
    const sent = simA().sent[0];
    expect(sent).toMatchObject({ type: 'newOrder', clOrdId: result.value.clOrdId, quantity: '100', limitPrice: '150.25', side: 'buy' });
    expect(latestOrders().get(result.value.orderId)?.status).toBe('pendingNew');

    simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: result.value.clOrdId, leavesQty: '100' }));
    expect(latestOrders().get(result.value.orderId)).toMatchObject({ status: 'new', leavesQty: '100', cumQty: '0' });
  });

  it('publishes what one socket read brought as soon as the journal committed it, inside the read', async () => {
    const result = await desk.call('submitOrder', limitTicket);
    if (!result.ok) throw new Error(result.error.message);
    await Promise.resolve(); // the pendingNew delta goes out at the end of its turn
    const before = messages.length;
    let seenInside: number | undefined;
    simA().read(() => {
      simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: result.value.clOrdId, leavesQty: '100' }));
      simA().listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: result.value.clOrdId, execId: 'E1', lastQty: '40', lastPx: '150', cumQty: '40', leavesQty: '60', avgPx: '150' }));
      seenInside = messages.length;
    });
    expect(seenInside).toBe(before); // nothing leaves before the journal commit
    const orders = messages.slice(before).filter((m) => m.kind === 'orders');
    expect(orders).toHaveLength(1); // the read's two reports, coalesced: the order once, at its latest
    expect(orders[0]!.kind === 'orders' && orders[0]!.rows[0]).toMatchObject({ status: 'partiallyFilled', cumQty: '40' });
  });

  it('commits the commands of one turn together (a basket), and shows and answers them only after that commit', async () => {
    const committed = () => {
      const db = new Database(join(dir, 'desk.sqlite'), { readonly: true });
      try {
        return db.prepare("SELECT count(*) FROM events WHERE type = 'orderSubmitted'").pluck().get() as number;
      } finally {
        db.close();
      }
    };
    const shown: number[] = [];
    desk.subscribe((m) => {
      if (m.kind === 'orders') shown.push(committed());
    });
    const sentAtAnswer: number[] = [];
    const resting = await desk.call('submitOrder', limitTicket);
    if (!resting.ok) throw new Error(resting.error.message);
    await Promise.resolve();
    const before = committed();
    shown.length = 0;
    // Earlier in the same turn, a broker ack already put a delta in line to go out.
    simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: resting.value.clOrdId, leavesQty: '100' }));
    const basket = Array.from({ length: 5 }, () => desk.call('submitOrder', limitTicket).then((r) => (sentAtAnswer.push(committed()), r)));
    expect(committed()).toBe(before); // nothing committed, nothing answered, nothing shown in this turn
    expect(shown).toEqual([]);
    const results = await Promise.all(basket);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sentAtAnswer).toEqual(Array(5).fill(before + 5)); // one commit for all five, before any answer
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((n) => n === before + 5)).toBe(true);
    expect(simA().sent.filter((m) => m.type === 'newOrder')).toHaveLength(6);
  });

  it('refuses a bad ticket with per-field errors and changes nothing', async () => {
    const result = await desk.call('submitOrder', { ...limitTicket, quantity: '0', limitPrice: undefined } as never);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_REQUEST');
    expect(Object.keys(result.error.fields ?? {})).toEqual(expect.arrayContaining(['quantity', 'limitPrice']));
    expect(simA().sent).toHaveLength(0);
    expect(latestOrders().size).toBe(0);
  });

  it('refuses unknown brokers, accounts and past expire dates', async () => {
    const r1 = await desk.call('submitOrder', { ...limitTicket, broker: 'NOPE' });
    const r2 = await desk.call('submitOrder', { ...limitTicket, account: 'NOPE' });
    const r3 = await desk.call('submitOrder', { ...limitTicket, timeInForce: 'gtd', expireDate: '2026-11-26' });
    expect([r1, r2, r3].map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['UNKNOWN_BROKER', 'INVALID_REQUEST', 'INVALID_REQUEST']);
    expect(latestOrders().size).toBe(0);
  });

  it('refuses an order to a broker that is down, and shows the refusal in the blotter', async () => {
    simA().setState('disconnected');
    const result = await desk.call('submitOrder', limitTicket);
    expect(result.ok ? 'ok' : result.error.code).toBe('BROKER_UNAVAILABLE');
    const [row] = [...latestOrders().values()];
    expect(row).toMatchObject({ status: 'rejected' });
    expect(row?.text).toMatch(/not connected/);
    expect(simA().sent).toHaveLength(0);
  });

  it('marks an order rejected when the session drops between journal and send', async () => {
    simA().accept = false;
    const result = await desk.call('submitOrder', limitTicket);
    expect(result.ok).toBe(false);
    const [row] = [...latestOrders().values()];
    expect(row?.status).toBe('rejected');
    expect(row?.text).toMatch(/not sent/);
  });

  it('marks an order rejected when the FIX layer refuses the message, saying why', async () => {
    simA().refuse = 'price has too many decimals';
    const result = await desk.call('submitOrder', limitTicket);
    expect(result.ok ? 'ok' : result.error.code).toBe('INTERNAL');
    const [row] = [...latestOrders().values()];
    expect(row).toMatchObject({ status: 'rejected', text: 'not sent: price has too many decimals' });
  });

  it('amends with OrigClOrdID = the live ClOrdID and refuses a second request while one is pending', async () => {
    const r = await desk.call('submitOrder', limitTicket);
    if (!r.ok) throw new Error();
    simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: r.value.clOrdId, leavesQty: '100' }));
    const amend = await desk.call('amendOrder', { orderId: r.value.orderId, quantity: '200', limitPrice: '151' });
    if (!amend.ok) throw new Error(amend.error.message);
    expect(simA().sent[1]).toMatchObject({ type: 'replace', origClOrdId: r.value.clOrdId, clOrdId: amend.value.clOrdId, quantity: '200', limitPrice: '151' });
    const again = await desk.call('cancelOrder', { orderId: r.value.orderId });
    expect(again.ok ? 'ok' : again.error.message).toMatch(/already pending/);
    expect(latestOrders().get(r.value.orderId)?.pending).toMatchObject({ kind: 'replace', quantity: '200', limitPrice: '151' });
  });

  it('refuses an amend to a quantity at or below what is executed', async () => {
    const r = await desk.call('submitOrder', limitTicket);
    if (!r.ok) throw new Error();
    simA().listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: r.value.clOrdId, lastQty: '60', lastPx: '150', cumQty: '60', leavesQty: '40', avgPx: '150' }));
    const amend = await desk.call('amendOrder', { orderId: r.value.orderId, quantity: '60' });
    expect(amend.ok ? 'ok' : amend.error.fields?.quantity).toMatch(/exceed the executed 60/);
    expect(simA().sent).toHaveLength(1);
  });

  it('applies a repeated ExecID once', async () => {
    const r = await desk.call('submitOrder', limitTicket);
    if (!r.ok) throw new Error();
    const fill = report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: r.value.clOrdId, lastQty: '10', lastPx: '150', cumQty: '10', leavesQty: '90', avgPx: '150' });
    simA().listener.onMessage('SIM-A', fill);
    simA().listener.onMessage('SIM-A', { ...fill, possDup: true });
    clock.advance(20);
    const executions = messages.flatMap((m) => (m.kind === 'executions' ? m.rows : []));
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ lastQty: '10', lastPx: '150', orderId: r.value.orderId });
  });

  it('raises an alert for an execution report about an unknown order', async () => {
    simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: 'NOT-OURS' }));
    clock.advance(20);
    const alerts = messages.flatMap((m) => (m.kind === 'alerts' ? m.rows : []));
    expect(alerts[0]?.message).toMatch(/unknown ClOrdID NOT-OURS/);
  });

  it('cancels several orders at once and reports each result', async () => {
    const a = await desk.call('submitOrder', limitTicket);
    const b = await desk.call('submitOrder', limitTicket);
    if (!a.ok || !b.ok) throw new Error();
    const result = await desk.call('cancelOrders', { orderIds: [a.value.orderId, b.value.orderId, 'NOPE-1'] });
    if (!result.ok) throw new Error();
    expect(result.value.results.map((r) => (r.result.ok ? 'ok' : r.result.error.code))).toEqual(['ok', 'ok', 'UNKNOWN_ORDER']);
    expect(simA().sent.filter((m) => m.type === 'cancel')).toHaveLength(2);
  });

  it("tells an order's whole story: each event, its FIX message parsed and raw, both times, the status after", async () => {
    const r = await desk.call('submitOrder', limitTicket);
    if (!r.ok) throw new Error();
    const raw = `8=FIX.4.4|35=8|11=${r.value.clOrdId}|17=X1|150=0|39=0|60=20261127-10:00:00.123|`;
    simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: r.value.clOrdId, leavesQty: '100', raw, transactTime: '2026-11-27T10:00:00.123Z' }));
    await desk.call('amendOrder', { orderId: r.value.orderId, limitPrice: '150.5' });
    simA().listener.onMessage('SIM-A', { type: 'cancelReject', clOrdId: 'nope', origClOrdId: r.value.clOrdId, responseTo: 'replace', text: 'price out of band', possDup: false, seqNum: 3, raw: '8=FIX.4.4|35=9|58=price out of band|' });
    const history = await desk.call('getOrderHistory', { orderId: r.value.orderId });
    if (!history.ok) throw new Error(history.error.message);
    const { entries } = history.value;
    expect(entries.map((e) => [e.event, e.statusAfter])).toEqual([
      ['orderSubmitted', 'pendingNew'],
      ['fixMessageSent', 'pendingNew'],
      ['executionReceived', 'new'],
      ['replaceRequested', 'pendingReplace'],
      ['fixMessageSent', 'pendingReplace'],
      ['cancelRejectReceived', 'new'],
    ]);
    expect(entries[2]).toMatchObject({ brokerTime: '2026-11-27T10:00:00.123Z', fix: { direction: 'in', msgTypeName: 'ExecutionReport', raw } });
    expect(entries[2]?.fix?.fields).toContainEqual({ tag: 39, name: 'OrdStatus', value: '0' });
    expect(entries[4]?.fix).toMatchObject({ direction: 'out', msgTypeName: 'OrderCancelReplaceRequest' });
    expect(entries[5]?.summary).toMatch(/Amend rejected by SIM-A: price out of band/);
    expect((await desk.call('getOrderHistory', { orderId: 'NOPE-1' })).ok).toBe(false);
  });

  it('journals what the session stored for each message it sends under its order, beside the request, changing no state', async () => {
    const r = await desk.call('submitOrder', limitTicket);
    if (!r.ok) throw new Error();
    const before = latestOrders().get(r.value.orderId);
    const history = await desk.call('getOrderHistory', { orderId: r.value.orderId });
    if (!history.ok) throw new Error();
    expect(history.value.entries.map((e) => [e.event, e.fix?.direction, e.fix?.msgTypeName, e.fix?.raw])).toEqual([
      ['orderSubmitted', undefined, undefined, undefined],
      ['fixMessageSent', 'out', 'NewOrderSingle', expect.stringMatching(`^8=FIX\\.4\\.4\\|35=D\\|34=\\d+\\|11=${r.value.clOrdId}\\|$`)], // what the fake session says it stored
    ]);
    expect(latestOrders().get(r.value.orderId)).toEqual(before);
  });

  it('comes back after a restart exactly as it was, and never reuses a ClOrdID', async () => {
    const r = await desk.call('submitOrder', limitTicket);
    if (!r.ok) throw new Error();
    simA().listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: r.value.clOrdId, lastQty: '10', lastPx: '150.5', cumQty: '10', leavesQty: '90', avgPx: '150.5' }));
    await desk.call('cancelOrder', { orderId: r.value.orderId });
    const before = latestOrders();
    await desk.stop();

    desk = await open();
    const after = latestOrders();
    // The cancel was unanswered when the session went down: the order is uncertain until its status report.
    const { uncertain, updatedAt, version, ...rest } = after.get(r.value.orderId)!;
    const { updatedAt: updatedBefore, version: versionBefore, ...restBefore } = before.get(r.value.orderId)!;
    expect(rest).toEqual(restBefore);
    expect(uncertain?.reason).toMatch(/session to SIM-A dropped before the broker answered/);
    expect([updatedAt > updatedBefore, version]).toEqual([true, versionBefore + 1]);
    // On logon the desk asks the broker about every open order.
    expect(simA().sent).toEqual([expect.objectContaining({ type: 'statusRequest', clOrdId: r.value.clOrdId })]);
    const next = await desk.call('submitOrder', limitTicket);
    if (!next.ok) throw new Error();
    expect(before.get(r.value.orderId)?.clOrdId).not.toBe(next.value.clOrdId);
    expect([r.value.clOrdId, before.get(r.value.orderId)?.clOrdId]).not.toContain(next.value.clOrdId);
  });

  describe('instruments', () => {
    /** The desk stopped and started again on the same journal, its clock on another day. */
    async function restartOn(at: string): Promise<void> {
      await desk.stop();
      clock = new TestClock(at);
      desk = await open();
    }

    it('searches the master by symbol, name and ISIN, best first, within the limit and the class asked for', async () => {
      const bySymbol = await desk.call('searchInstruments', { query: 'aapl', limit: 3 });
      expect(bySymbol.ok && bySymbol.value.instruments.map((i) => i.id)).toEqual(['AAPL.XNAS', 'AAPL261218C200', 'AAPL261218P180']);
      expect(bySymbol.ok && bySymbol.value.more).toBe(true);
      const byName = await desk.call('searchInstruments', { query: 'bund', assetClass: 'future' });
      expect(byName.ok && byName.value.instruments.map((i) => i.id)).toEqual(['FGBLH7.XEUR']);
      const byIsin = await desk.call('searchInstruments', { query: 'US91282CLW90' });
      expect(byIsin.ok && byIsin.value.instruments[0]?.id).toBe('UST.4.25.2034');
      expect(await desk.call('searchInstruments', { query: 'x'.repeat(65) })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    });

    it("gives an instrument's terms and what they mean on the desk's trading day", async () => {
      const fx = await desk.call('getInstrument', { instrumentId: 'EURUSD.3M' });
      expect(fx).toMatchObject({ ok: true, value: { tradeDate: '2026-11-27', settlementDate: '2027-03-01', quantityUnit: 'EUR', priceMeaning: 'rate', expired: false } });
      expect(await desk.call('getInstrument', { instrumentId: 'NOPE.XNAS' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_INSTRUMENT' } });
    });

    it('previews an order without journaling or sending anything', async () => {
      const preview = await desk.call('previewOrder', { instrumentId: 'ESZ6.XCME', quantity: '3', limitPrice: '6000.25' });
      expect(preview).toMatchObject({ ok: true, value: { notional: '900037.5', problems: {} } });
      expect(simA().sent).toHaveLength(0);
      expect(latestOrders().size).toBe(0);
    });

    it('refuses a ticket for an unknown instrument, or one that expired on the desk\'s clock, naming the field and its code', async () => {
      const unknown = await desk.call('submitOrder', { ...limitTicket, instrumentId: 'NOPE.XNAS' });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fieldCodes: { instrumentId: 'UNKNOWN_INSTRUMENT' } } });
      await restartOn('2026-12-21T14:00:00.000Z');
      const expired = await desk.call('submitOrder', { ...limitTicket, instrumentId: 'ESZ6.XCME', quantity: '1', limitPrice: '6000.25' });
      expect(expired).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fieldCodes: { instrumentId: 'INSTRUMENT_EXPIRED' } } });
      expect(simA().sent).toHaveLength(0);
      expect(latestOrders().size).toBe(0);
    });

    it('sends the order with the instrument and trade date it was entered with, for its amends too', async () => {
      const result = await desk.call('submitOrder', { ...limitTicket, instrumentId: 'EURUSD.3M', quantity: '1000000', limitPrice: '1.08' });
      if (!result.ok) throw new Error(result.error.message);
      expect(simA().sent[0]).toMatchObject({ type: 'newOrder', instrument: { id: 'EURUSD.3M' }, tradeDate: '2026-11-27' });
      simA().listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: result.value.clOrdId, leavesQty: '1000000' }));
      expect(latestOrders().get(result.value.orderId)).toMatchObject({ instrumentId: 'EURUSD.3M', assetClass: 'fx', currency: 'USD', settlDate: '2027-03-01' });
      await restartOn('2026-11-30T14:00:00.000Z'); // a later day: the amend still names the order's value date
      const offTick = await desk.call('amendOrder', { orderId: result.value.orderId, limitPrice: '1.0811111' });
      expect(offTick).toMatchObject({ ok: false, error: { fieldCodes: { limitPrice: 'TICK_SIZE' } } });
      const amend = await desk.call('amendOrder', { orderId: result.value.orderId, limitPrice: '1.081' });
      expect(amend.ok).toBe(true);
      expect(simA().sent.map((m) => ('instrument' in m ? [m.type, m.instrument.id, m.tradeDate] : [m.type]))).toEqual([
        ['statusRequest', 'EURUSD.3M', '2026-11-27'], // the reconciliation at logon
        ['replace', 'EURUSD.3M', '2026-11-27'],
      ]);
    });
  });
});
