import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../shared/contract/ticket';
import { FIX_VERSIONS, parseDeskConfig } from '../core/config/desk-config';
import type { FixVersion } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import type { Desk } from '../core/desk/desk';
import type { SimulatorProcess } from '../simulator/launch';
import { startSimulatorProcess } from '../simulator/launch';
import { SIM_ALGO_FILE } from '../simulator/sim-broker-algos';
import { brokerEntriesFor } from './support/broker-entries';
import { DeskView, until } from './support/desk-view';
import { restingTicket } from './support/tickets';

/** A broker's own algo end to end: the desk's ticket, FIX over TCP, the simulator working it, fills back. */

const BROKER: Record<FixVersion, string> = { 'FIX.4.2': 'SIM-42', 'FIX.4.4': 'SIM-44', 'FIX.5.0SP2': 'SIM-50' };

describe("brokers' algos over FIX with the simulator", () => {
  let sim: SimulatorProcess;
  let dir: string;
  let desk: Desk;
  let view: DeskView;

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        seed: 5,
        tickIntervalMs: 100,
        ackDelayMs: 0,
        fills: { enabled: true, intervalMs: 100, fraction: 1 },
        control: { port: 0 },
        brokers: FIX_VERSIONS.map((fixVersion) => ({ name: BROKER[fixVersion], port: 0, senderCompId: BROKER[fixVersion], targetCompId: 'MERIDIAN', fixVersion })),
        instruments: { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0, liquidity: '1000000' } },
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'desk-algo-fix-'));
    // The desk's copy of SIM-44's file is out of date: it still allows a participation rate up to 0.9.
    const stale = join(dir, 'sim-algos-stale.xml');
    writeFileSync(stale, readFileSync(SIM_ALGO_FILE, 'utf8').replace('fixTag="7611" use="required" minValue="0.01" maxValue="0.5"', 'fixTag="7611" use="required" minValue="0.01" maxValue="0.9"'));
    const entries = brokerEntriesFor(sim.brokers).map((b) => {
      const fixVersion = FIX_VERSIONS.find((v) => BROKER[v] === b.name)!;
      return { ...b, fixVersion, algoDefinitions: fixVersion === 'FIX.4.4' ? stale : SIM_ALGO_FILE };
    });
    desk = createDesk({ config: parseDeskConfig({ accounts: ['FUND-ALPHA'], brokers: entries }), dataDir: join(dir, 'desk'), journalSyncMs: 0 });
    await desk.start();
    view = new DeskView(desk);
    await until('every session logged on', () => Object.values(BROKER).every((b) => view.sessions.get(b)?.state === 'loggedOn'));
  }, 60_000);

  afterAll(async () => {
    await desk?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const submit = async (ticket: Partial<OrderTicket>) => {
    const r = await desk.call('submitOrder', restingTicket(ticket));
    if (!r.ok) throw new Error(r.error.message);
    return r.value.orderId;
  };

  const sentNewOrder = async (orderId: string) => {
    const h = await desk.call('getOrderHistory', { orderId });
    if (!h.ok) throw new Error(h.error.message);
    return h.value.entries.find((e) => e.fix?.direction === 'out' && e.fix.msgType === 'D')?.fix?.raw ?? '';
  };

  it.each(FIX_VERSIONS)('%s: a SIM-POV order is sent, worked in slices at its rate, and fills exactly', async (version) => {
    const broker = BROKER[version];
    const id = await submit({ broker, quantity: '1000', limitPrice: '191', brokerAlgo: { strategy: 'SIM-POV', parameters: { ParticipationRate: '0.25', IWouldPrice: '189.5' } } });
    const done = await until('filled', () => view.orders.get(id)?.status === 'filled' && view.orders.get(id), 20_000);
    expect(done).toMatchObject({ cumQty: '1000', leavesQty: '0', avgPx: '190' });
    const fills = [...view.executions.values()].filter((e) => e.orderId === id);
    expect(fills.map((f) => f.lastQty)).toEqual(['250', '250', '250', '250']);
    const raw = await sentNewOrder(id);
    expect(raw).toContain('|847=1002|');
    if (version === 'FIX.5.0SP2') expect(raw).toContain('|957=2|958=ParticipationRate|959=11|960=0.25|958=IWouldPrice|959=8|960=189.5|');
    else expect(raw).toContain('|7611=0.25|7613=189.5|');
    const truth = (await sim.control!.orders(broker)).find((o) => o.clOrdIds.includes(id));
    expect(truth).toMatchObject({ status: 'filled', cumQty: '1000' });
  });

  it('a SIM-VWAP order in 5 slices, amended while it works: the strategy is restated and it completes', async () => {
    const id = await submit({ broker: 'SIM-50', quantity: '500', limitPrice: '191', brokerAlgo: { strategy: 'SIM-VWAP', parameters: { Urgency: 'L', Slices: '5' } } });
    await until('first fill', () => (view.orders.get(id)?.cumQty ?? '0') !== '0');
    const amended = await desk.call('amendOrder', { orderId: id, quantity: '600' });
    expect(amended.ok).toBe(true);
    const done = await until('filled', () => view.orders.get(id)?.status === 'filled' && view.orders.get(id), 20_000);
    expect(done).toMatchObject({ quantity: '600', cumQty: '600', leavesQty: '0' });
  });

  /** A time as a UTCTimestamp_t parameter travels: YYYYMMDD-HH:MM:SS.sss. */
  const fixTime = (ms: number) => new Date(ms).toISOString().replace(/-/g, '').replace('T', '-').replace('Z', '');

  it('a SIM-VWAP order with a StartTime and an EndTime: nothing fills before the start, it completes by the end', async () => {
    const start = Date.now() + 1_500;
    const end = start + 2_000;
    const id = await submit({ broker: 'SIM-44', quantity: '400', limitPrice: '191', brokerAlgo: { strategy: 'SIM-VWAP', parameters: { Urgency: 'H', StartTime: fixTime(start), EndTime: fixTime(end) } } });
    expect(await sentNewOrder(id)).toContain(`|7601=${fixTime(start)}|7602=${fixTime(end)}|`);
    const done = await until('filled', () => view.orders.get(id)?.status === 'filled' && view.orders.get(id), 20_000);
    expect(done).toMatchObject({ cumQty: '400', leavesQty: '0' });
    const fills = [...view.executions.values()].filter((e) => e.orderId === id);
    // Spread over the window: more rounds than Urgency H's two slices, none before the start, none after the end.
    expect(fills.length).toBeGreaterThan(2);
    for (const f of fills) {
      const at = Date.parse(f.receivedAt);
      expect(at).toBeGreaterThanOrEqual(start);
      expect(at).toBeLessThan(end + 1_000);
    }
  });

  it('a SIM-VWAP order not done at its EndTime: the broker cancels the rest and says why', async () => {
    const end = Date.now() + 1_500;
    // A limit below the market: nothing fills, so all of it is left at the end.
    const id = await submit({ broker: 'SIM-42', quantity: '300', limitPrice: '150', brokerAlgo: { strategy: 'SIM-VWAP', parameters: { Urgency: 'M', EndTime: fixTime(end) } } });
    const cancelled = await until('cancelled by the broker', () => view.orders.get(id)?.status === 'canceled' && view.orders.get(id), 20_000);
    expect(cancelled).toMatchObject({ cumQty: '0', leavesQty: '0', text: 'canceled by the broker: SIM-VWAP EndTime reached: 300 not done, cancelled' });
    expect(Date.parse(cancelled.updatedAt)).toBeGreaterThanOrEqual(end);
  });

  it("a value the broker's own file refuses (the desk's copy is out of date) comes back as a reject with the broker's reason", async () => {
    const id = await submit({ broker: 'SIM-44', brokerAlgo: { strategy: 'SIM-POV', parameters: { ParticipationRate: '0.75' } } });
    const rejected = await until('rejected', () => view.orders.get(id)?.status === 'rejected' && view.orders.get(id));
    expect(rejected.text).toBe('Invalid SIM-POV parameters: ParticipationRate must be at most 0.5');
  });

  it('the desk refuses what its copy of the file refuses, before anything is sent', async () => {
    const r = await desk.call('submitOrder', restingTicket({ broker: 'SIM-42', brokerAlgo: { strategy: 'SIM-VWAP', parameters: { Urgency: 'Z' } } }));
    expect(!r.ok && r.error.fieldCodes).toEqual({ 'brokerAlgo.parameters.Urgency': 'ALGO_CHOICE' });
  });
});
