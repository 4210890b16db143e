import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../shared/contract/ticket';
import type { DeskConfig } from '../core/config/desk-config';
import { parseDeskConfig } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import type { Desk } from '../core/desk/desk';
import type { SimulatorProcess } from '../simulator/launch';
import { startSimulatorProcess } from '../simulator/launch';
import type { ExecutionReport } from '../simulator/order-engine';
import { brokerEntriesFor } from './support/broker-entries';
import { DeskView, until } from './support/desk-view';
import { restingTicket } from './support/tickets';

/**
 * A hostile broker over real FIX (the simulator process's scripted reports and faults): it cannot
 * inject orders, fool the desk with reports that do not fit their order, amplify a resend, stall
 * the desk or break its sequence numbers; the other broker's session trades on.
 */
describe('a hostile broker', () => {
  let sim: SimulatorProcess;
  let config: DeskConfig;
  let dir: string;
  let desk: Desk;
  let view: DeskView;
  const H = 'SIM-H';

  const ticket = (t: Partial<OrderTicket>): OrderTicket => restingTicket({ broker: H, ...t });

  async function openDesk(): Promise<void> {
    desk = createDesk({ config, dataDir: dir, journalSyncMs: 0 });
    await desk.start();
    view = new DeskView(desk);
    await until('both sessions logged on', () => [H, 'SIM-B'].every((b) => view.sessions.get(b)?.state === 'loggedOn'));
  }

  async function submit(t: Partial<OrderTicket>): Promise<string> {
    const r = await desk.call('submitOrder', ticket(t));
    if (!r.ok) throw new Error(r.error.message);
    const id = r.value.orderId;
    await until(`${id} acknowledged`, () => view.orders.get(id)?.status === 'new');
    return id;
  }

  /** What the desk sent the hostile broker since `since`, of one message type. */
  async function sentToBroker(msgType: string, since: number) {
    return (await sim.control!.received(H, since)).filter((m) => m.msgType === msgType);
  }

  const tag = (m: { fields: ReadonlyArray<readonly [number, string]> }, t: number) => m.fields.find((f) => f[0] === t)?.[1];

  async function lastReceivedSeq(): Promise<number> {
    return (await sim.control!.received(H, 0)).at(-1)?.seq ?? 0;
  }

  function journal<T>(query: (db: Database.Database) => T): T {
    const db = new Database(join(dir, 'desk.sqlite'), { readonly: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  }

  const report = (r: Partial<ExecutionReport> & Pick<ExecutionReport, 'execId' | 'clOrdId'>): ExecutionReport => ({
    kind: 'execution',
    execType: 'trade',
    ordStatus: 'partiallyFilled',
    orderId: 'BRK-1',
    symbol: 'AAPL',
    side: 'buy',
    orderQty: '100',
    lastQty: '10',
    lastPx: '150',
    cumQty: '10',
    leavesQty: '90',
    avgPx: '150',
    ...r,
  });

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        seed: 11,
        control: 0,
        ackDelayMs: 0,
        fills: { enabled: false },
        brokers: [
          { name: H, port: 0, senderCompId: H, targetCompId: 'MERIDIAN', heartbeatSeconds: 5 },
          { name: 'SIM-B', port: 0, senderCompId: 'SIM-B', targetCompId: 'MERIDIAN', heartbeatSeconds: 5 },
        ],
        instruments: {
          'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 },
          'CLF7.XNYM': { referencePrice: '5.00', volatility: 0 },
        },
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'desk-hostile-'));
    config = parseDeskConfig({
      accounts: ['FUND-ALPHA'],
      brokers: brokerEntriesFor(sim.brokers),
    });
    await openDesk();
  }, 60_000);

  afterAll(async () => {
    await desk?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('status reports answering a MassStatusReqID the desk never sent are refused (DontKnowTrade, an alert), never adopted, also not after a restart', async () => {
    const since = await lastReceivedSeq();
    const forged = Array.from({ length: 200 }, (_, i) =>
      report({
        execId: `FORGED-E${i}`,
        clOrdId: `FORGED-${i}`,
        orderId: `FORGED-O${i}`,
        execType: 'orderStatus',
        ordStatus: 'new',
        side: 'sell',
        orderQty: '1000000',
        lastQty: undefined,
        lastPx: undefined,
        cumQty: '0',
        leavesQty: '1000000',
        avgPx: '0',
        massStatus: { reqId: 'FORGED', total: 200, last: i === 199 },
      }),
    );
    await sim.control!.send(H, forged);
    const dks = await until('200 DontKnowTrades', async () => {
      const q = await sentToBroker('Q', since);
      return q.length >= 200 && q;
    });
    expect(dks.every((m) => tag(m, 127) === 'D')).toBe(true);
    expect([...view.orders.keys()].filter((id) => id.includes('FORGED'))).toEqual([]);
    expect(view.alerts.find((a) => a.code === 'UNSOLICITED_REPORT')?.message).toMatch(/MassStatusReqID \(584\) FORGED, which the desk never sent to SIM-H/);
    await desk.stop();
    await openDesk();
    expect([...view.orders.values()].filter((o) => o.orderId.includes('FORGED') || o.adopted === true)).toEqual([]);
    expect(journal((db) => db.prepare("SELECT count(*) FROM events WHERE type = 'orderAdopted'").pluck().get())).toBe(0);
  });

  it('reports that do not fit their order (another symbol, the other side, LastQty 0, a negative price, an absurd restatement) are refused whole; a fill beyond the limit is kept and raised', async () => {
    const id = await submit({ quantity: '100', limitPrice: '150' }); // rests: the market is at 190
    const since = await lastReceivedSeq();
    const before = view.orders.get(id)!;
    await sim.control!.send(H, [
      report({ execId: `${id}-X1`, clOrdId: id, symbol: 'MSFT' }),
      report({ execId: `${id}-X2`, clOrdId: id, side: 'sell' }),
      report({ execId: `${id}-X3`, clOrdId: id, lastQty: '0', cumQty: '0', leavesQty: '100' }),
      report({ execId: `${id}-X4`, clOrdId: id, lastPx: '-150', avgPx: '-150' }),
      report({ execId: `${id}-X5`, clOrdId: id, lastQty: '1000', cumQty: '1000', leavesQty: '0', ordStatus: 'filled' }),
      report({ execId: `${id}-X6`, clOrdId: id, execType: 'restated', ordStatus: 'new', orderQty: '999999999999999999', lastQty: undefined, lastPx: undefined, cumQty: '0', leavesQty: '999999999999999999', avgPx: '0' }),
    ]);
    const dks = await until('six DontKnowTrades', async () => {
      const q = await sentToBroker('Q', since);
      return q.length >= 6 && q;
    });
    expect(dks.map((m) => [tag(m, 17), tag(m, 127)])).toEqual([
      [`${id}-X1`, 'A'],
      [`${id}-X2`, 'B'],
      [`${id}-X3`, 'F'],
      [`${id}-X4`, 'F'],
      [`${id}-X5`, 'C'],
      [`${id}-X6`, 'F'],
    ]);
    const after = view.orders.get(id)!;
    expect({ status: after.status, cumQty: after.cumQty, leavesQty: after.leavesQty, quantity: after.quantity }).toEqual({
      status: before.status,
      cumQty: '0',
      leavesQty: '100',
      quantity: '100',
    });
    expect([...view.executions.values()].filter((e) => e.orderId === id)).toEqual([]);
    const refused = view.alerts.filter((a) => a.code === 'REPORT_REFUSED' && a.orderId === id);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((a) => a.level === 'error')).toBe(true);
    const history = await desk.call('getOrderHistory', { orderId: id });
    expect(history.ok && history.value.entries.filter((e) => e.event === 'brokerReportRefused').map((e) => e.summary)).toEqual([
      expect.stringContaining('symbol MSFT (sent AAPL)'),
      expect.stringContaining('Side sell, the order is a buy'),
      expect.stringContaining('a trade with LastQty 0'),
      expect.stringContaining('LastPx -150: prices of this instrument are positive'),
      expect.stringContaining('a single execution of 1000 on an order for 100'),
      expect.stringContaining('OrderQty 999999999999999999 is beyond any sane quantity'),
    ]);

    // A fill far beyond the limit happened at the market: kept, and raised as an error.
    await sim.control!.send(H, [report({ execId: `${id}-F1`, clOrdId: id, lastQty: '10', lastPx: '10000', avgPx: '10000' })]);
    await until('the fill applied', () => view.orders.get(id)?.cumQty === '10');
    const beyond = await until('the alert', () => view.alerts.find((a) => a.code === 'FILL_BEYOND_LIMIT' && a.orderId === id));
    expect(beyond).toMatchObject({ level: 'error', message: expect.stringContaining("filled 10 at 10000, above the order's limit 150") });
  });

  it('a negative price is taken where the instrument has them (a future)', async () => {
    const id = await submit({ instrumentId: 'CLF7.XNYM', quantity: '10', limitPrice: '5' });
    await sim.control!.send(H, [report({ execId: `${id}-N1`, clOrdId: id, symbol: 'CL', orderQty: '10', lastQty: '5', lastPx: '-2.5', cumQty: '5', leavesQty: '5', avgPx: '-2.5' })]);
    await until('the fill at a negative price applied', () => view.orders.get(id)?.cumQty === '5');
    expect(view.orders.get(id)?.avgPx).toBe('-2.5');
  });

  it('after 1,000 DontKnowTrades, 80 ResendRequests for everything in one write cost one replay, read from the store, not stored again', async () => {
    const since = await lastReceivedSeq();
    const unknown = Array.from({ length: 1_000 }, (_, i) => report({ execId: `UNK-E${i}`, clOrdId: `UNKNOWN-${i}` }));
    await sim.control!.send(H, unknown);
    await until('1,000 DontKnowTrades', async () => (await sentToBroker('Q', since)).length >= 1_000, 30_000);
    const stats = () => view.sessions.get(H)!.stats!;
    const served = stats().resendRequestsServed;
    const coalesced = stats().resendRequestsCoalesced ?? 0;
    const rows = () => journal((db) => db.prepare("SELECT count(*) AS n, sum(poss_dup) AS dup FROM fix_messages WHERE direction = 'out'").get() as { n: number; dup: number | null });
    const rowsBefore = rows();
    expect(await sim.control!.fault(H, { kind: 'resendStorm', count: 80 })).toMatch(/sent 80 ResendRequests/);
    await until('the storm answered', () => stats().resendRequestsServed + (stats().resendRequestsCoalesced ?? 0) >= served + coalesced + 80);
    expect(stats().resendRequestsServed - served).toBeLessThanOrEqual(2); // one replay (a second only if the storm spanned two reads after the first ended)
    expect((stats().resendRequestsCoalesced ?? 0) - coalesced).toBeGreaterThanOrEqual(78);
    const rowsAfter = rows();
    expect(rowsAfter.dup ?? 0).toBe(0); // no replay was stored
    expect(rowsAfter.n - rowsBefore.n).toBeLessThan(20); // heartbeats at most
    expect(view.sessions.get(H)?.state).toBe('loggedOn');
  });

  it('past the administrative budget (500 ResendRequests, 10,000 malformed messages): Logout and an alert; it logs on again and the other broker trades throughout', async () => {
    const other = desk.call('submitOrder', ticket({ broker: 'SIM-B' }));
    await sim.control!.fault(H, { kind: 'resendStorm', count: 500 });
    const budget = await until('the budget alert', () => view.alerts.find((a) => a.broker === H && /sent more than 100 administrative or malformed messages within 60 s/.test(a.message)));
    expect(budget.level).toBe('error');
    const r = await other;
    expect(r.ok).toBe(true);
    await until('the other broker acknowledged its order', () => r.ok && view.orders.get(r.value.orderId)?.status === 'new');
    await until('logged on again', () => view.sessions.get(H)?.state === 'loggedOn', 20_000);
    await sim.control!.fault(H, { kind: 'malformedFlood', count: 10_000 });
    await until('logged out again', () => view.sessions.get(H)?.state !== 'loggedOn');
    expect(view.alerts.filter((a) => a.broker === H && a.message.includes('garbled')).every((a) => (a.count ?? 1) <= 5)).toBe(true);
    await until('logged on again', () => view.sessions.get(H)?.state === 'loggedOn', 20_000);
    await submit({ quantity: '5' });
  });

  it.each([['1e308'], ['2147483648'], ['99999999999999999999']])(
    'a SequenceReset to NewSeqNo %s is refused with a session Reject; the session and a restart are unaffected',
    async (newSeqNo) => {
      const rejects = () => journal((db) => db.prepare("SELECT raw FROM fix_messages WHERE direction = 'out' AND msg_type = '3'").pluck().all() as string[]);
      const before = rejects().length;
      await sim.control!.fault(H, { kind: 'sequenceReset', newSeqNo });
      const reject = await until('the Reject', () => rejects().length > before && rejects().at(-1));
      expect(reject).toContain('\x01371=36\x01');
      expect(reject).toContain('\x01373=5\x01');
      await submit({ quantity: '1' });
      expect(view.sessions.get(H)?.stats?.nextIncomingSeqNum).toBeLessThan(100_000);
      await desk.stop();
      await openDesk();
      expect(view.sessions.get(H)?.stats?.nextIncomingSeqNum).toBeLessThan(100_000);
      await submit({ quantity: '1' });
    },
  );
});
