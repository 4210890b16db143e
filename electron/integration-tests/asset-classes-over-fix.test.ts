import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../shared/contract/ticket';
import type { FixVersion } from '../core/config/desk-config';
import { parseDeskConfig } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import type { Desk } from '../core/desk/desk';
import { startingAt } from '../core/time/clock';
import type { SimulatorProcess } from '../simulator/launch';
import { startSimulatorProcess } from '../simulator/launch';
import { brokerEntriesFor } from './support/broker-entries';
import { DeskView, until } from './support/desk-view';

/**
 * One order of each asset class, end to end over real FIX against the simulator process, in each
 * FIX version: the ticket names the instrument by its id, the NewOrderSingle carries the class's
 * Instrument component, the simulator identifies the instrument from it, prices it in its own
 * terms (a bond in % of par, an FX forward off the spot, an option by Black–Scholes) and fills it,
 * and the reports, naming the same instrument, fill the desk's order.
 *
 * Both sides' clocks are set (the desk's starts on Monday 2 November 2026, the simulator's market
 * is on that date): no expiry or value date depends on the day the test runs.
 */

const TRADE_DATE = '2026-11-02';
const VERSIONS: readonly FixVersion[] = ['FIX.4.2', 'FIX.4.4', 'FIX.5.0SP2'];
const brokerOf = (version: FixVersion) => `SIM-${version.slice(4).replace(/\./g, '')}`;

/** A marketable buy of each class, in the class's own units and price terms. */
const ORDERS: ReadonlyArray<{ readonly instrumentId: string; readonly quantity: string; readonly limitPrice: string; readonly fix: Readonly<Record<number, string>> }> = [
  { instrumentId: 'AAPL.XNAS', quantity: '100', limitPrice: '200', fix: { 55: 'AAPL', 48: 'US0378331005', 22: '4', 167: 'CS' } },
  { instrumentId: 'ESZ6.XCME', quantity: '2', limitPrice: '6100.25', fix: { 55: 'ES', 167: 'FUT', 200: '202612' } },
  { instrumentId: 'EURUSD.3M', quantity: '1000000', limitPrice: '1.2', fix: { 55: 'EUR/USD', 15: 'EUR', 63: '6', 64: '20270204' } },
  { instrumentId: 'AAPL261218C200', quantity: '5', limitPrice: '50', fix: { 55: 'AAPL', 167: 'OPT', 201: '1', 202: '200', 231: '100' } },
  { instrumentId: 'UST.4.25.2034', quantity: '100000', limitPrice: '105', fix: { 55: '[N/A]', 48: 'US91282CLW90', 22: '4', 223: '4.25' } },
];

describe('every asset class over FIX 4.2, 4.4 and 5.0SP2 against the simulator', () => {
  let sim: SimulatorProcess;
  let desk: Desk;
  let view: DeskView;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        seed: 5,
        tickIntervalMs: 50,
        ackDelayMs: 0,
        fills: { enabled: true, intervalMs: 50, fraction: 1 },
        control: 0,
        brokers: VERSIONS.map((fixVersion) => ({ name: brokerOf(fixVersion), port: 0, fixVersion, senderCompId: brokerOf(fixVersion), targetCompId: 'MERIDIAN' })),
        tradeDate: TRADE_DATE,
        rates: { USD: 0.045, EUR: 0.025 },
        instruments: {
          'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 },
          'ESZ6.XCME': { referencePrice: '6000.00', volatility: 0 },
          'EURUSD.SPOT': { referencePrice: '1.08500', volatility: 0 },
          'UST.4.25.2034': { referencePrice: '98.5', volatility: 0 },
        },
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'desk-classes-'));
    const config = parseDeskConfig({
      accounts: ['FUND-ALPHA'],
      brokers: brokerEntriesFor(sim.brokers).map((b) => ({ ...b, fixVersion: VERSIONS.find((v) => brokerOf(v) === b.name) })),
    });
    desk = createDesk({ config, dataDir: dir, journalSyncMs: 0, clock: startingAt(new Date(`${TRADE_DATE}T15:00:00.000Z`)) });
    await desk.start();
    view = new DeskView(desk);
    await until('every session logged on', () => VERSIONS.every((v) => view.sessions.get(brokerOf(v))?.state === 'loggedOn'));
  });

  afterAll(async () => {
    await desk?.stop();
    await sim?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function submit(t: Omit<OrderTicket, 'side' | 'orderType' | 'timeInForce' | 'account'>): Promise<string> {
    const r = await desk.call('submitOrder', { side: 'buy', orderType: 'limit', timeInForce: 'day', account: 'FUND-ALPHA', ...t });
    if (!r.ok) throw new Error(`${t.instrumentId}: ${r.error.message}`);
    return r.value.orderId;
  }

  for (const version of VERSIONS) {
    it(`${version}: one order of each class is sent with its Instrument component and filled`, async () => {
      const broker = brokerOf(version);
      const ids = await Promise.all(ORDERS.map((o) => submit({ instrumentId: o.instrumentId, quantity: o.quantity, limitPrice: o.limitPrice, broker })));
      for (const [i, o] of ORDERS.entries()) {
        const id = ids[i] as string;
        const filled = await until(`${o.instrumentId} filled at ${broker}`, () => (view.orders.get(id)?.status === 'filled' ? view.orders.get(id) : undefined), 15_000);
        expect(filled).toMatchObject({ instrumentId: o.instrumentId, cumQty: o.quantity, leavesQty: '0' });
        // Never worse than the limit, in the instrument's own price terms.
        expect(Number(filled.avgPx)).toBeGreaterThan(0);
        expect(Number(filled.avgPx)).toBeLessThanOrEqual(Number(o.limitPrice));

        const history = await desk.call('getOrderHistory', { orderId: id });
        if (!history.ok) throw new Error(history.error.message);
        const sent = history.value.entries.find((e) => e.fix?.direction === 'out' && e.fix.msgType === 'D')?.fix;
        const fields = Object.fromEntries((sent?.fields ?? []).map((f) => [f.tag, f.value]));
        expect(fields).toMatchObject(o.fix);
        // The fill's report named the same instrument: applied, no DontKnowTrade.
        const fill = history.value.entries.find((e) => e.fix?.direction === 'in' && /\|150=[F12]\|/.test(e.fix.raw));
        expect(fill, `${o.instrumentId}: a fill report`).toBeDefined();
      }
      const classes = ids.map((id) => view.orders.get(id)?.assetClass);
      expect(classes).toEqual(['equity', 'future', 'fx', 'option', 'bond']);
      const executions = [...view.executions.values()].filter((e) => ids.includes(e.orderId));
      expect(new Set(executions.map((e) => e.instrumentId))).toEqual(new Set(ORDERS.map((o) => o.instrumentId)));
      expect(view.alerts.filter((a) => a.code === 'INSTRUMENT_MISMATCH')).toEqual([]);
    });
  }

  it('carries the settlement dates the order was sent with (FX value date, bond settlement) and the class in the views', () => {
    const fx = [...view.orders.values()].find((o) => o.instrumentId === 'EURUSD.3M');
    const bond = [...view.orders.values()].find((o) => o.instrumentId === 'UST.4.25.2034');
    expect(fx).toMatchObject({ assetClass: 'fx', symbol: 'EUR/USD', currency: 'USD', settlDate: '2027-02-04' });
    expect(bond).toMatchObject({ assetClass: 'bond', currency: 'USD', settlDate: '2026-11-03' });
  });

  it('refuses a ticket that does not fit its instrument, naming the field and its code, and sends nothing', async () => {
    const before = view.orders.size;
    const r = await desk.call('submitOrder', { instrumentId: 'ESZ6.XCME', side: 'buy', quantity: '1', orderType: 'limit', limitPrice: '6000.10', timeInForce: 'day', account: 'FUND-ALPHA', broker: brokerOf('FIX.4.4') });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fieldCodes: { limitPrice: 'TICK_SIZE' } } });
    expect(view.orders.size).toBe(before);
  });

  it('rejects, as the broker, an instrument of the desk it does not trade: OrdRejReason 1 (unknown symbol)', async () => {
    const id = await submit({ instrumentId: 'MSFT.XNAS', quantity: '10', limitPrice: '400', broker: brokerOf('FIX.4.4') });
    const rejected = await until('rejected', () => (view.orders.get(id)?.status === 'rejected' ? view.orders.get(id) : undefined));
    expect(rejected.text).toMatch(/unknown symbol/i);
    const history = await desk.call('getOrderHistory', { orderId: id });
    if (!history.ok) throw new Error(history.error.message);
    expect(history.value.entries.some((e) => e.fix?.direction === 'in' && e.fix.raw.includes('|103=1|'))).toBe(true);
  });

  it('does not apply a report naming another instrument: DontKnowTrade and an alert on the order', async () => {
    const broker = brokerOf('FIX.4.4');
    const id = await submit({ instrumentId: 'AAPL.XNAS', quantity: '10', limitPrice: '150', broker }); // not marketable: rests
    const resting = await until('new', () => (view.orders.get(id)?.status === 'new' ? view.orders.get(id) : undefined));
    await sim.control!.send(broker, [
      {
        kind: 'execution',
        execId: 'WRONG-1',
        execType: 'trade',
        ordStatus: 'partiallyFilled',
        orderId: resting.brokerOrderId ?? 'NONE',
        clOrdId: resting.liveClOrdId,
        symbol: 'MSFT',
        side: 'buy',
        orderQty: '10',
        lastQty: '5',
        lastPx: '150',
        cumQty: '5',
        leavesQty: '5',
        avgPx: '150',
      },
    ]);
    const alert = await until('instrument mismatch alert', () => view.alerts.find((a) => a.code === 'INSTRUMENT_MISMATCH' && a.orderId === id));
    expect(alert.message).toMatch(/WRONG-1.*symbol MSFT \(sent AAPL\)/);
    expect(view.orders.get(id)).toMatchObject({ status: 'new', cumQty: '0' });
    const received = await sim.control!.received(broker);
    expect(received.some((m) => m.msgType === 'Q' && m.raw.includes('|17=WRONG-1|') && m.raw.includes('|127=A|'))).toBe(true);
  });
});
