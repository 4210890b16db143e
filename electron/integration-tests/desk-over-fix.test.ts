import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../shared/contract/ticket';
import { parseDeskConfig } from '../core/config/desk-config';
import type { DeskConfig } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import type { Desk } from '../core/desk/desk';
import type { SimulatorProcess } from '../simulator/launch';
import { startSimulatorProcess } from '../simulator/launch';
import { DeskView, until } from './support/desk-view';
import type { SimulatorConfigInput } from '../simulator/simulator-config';
import { brokerEntriesFor } from './support/broker-entries';
import { restingTicket } from './support/tickets';

/** The core against the broker simulator process, over real FIX on loopback. */

const simConfig = (ports: number[]): SimulatorConfigInput => ({
  seed: 3,
  tickIntervalMs: 100,
  ackDelayMs: 0,
  fills: { enabled: true, intervalMs: 100, fraction: 0.5 },
  brokers: [
    { name: 'SIM-A', port: ports[0] ?? 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN' },
    { name: 'SIM-B', port: ports[1] ?? 0, senderCompId: 'SIM-B', targetCompId: 'MERIDIAN' },
  ],
  instruments: {
    'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 },
    'EURUSD.SPOT': { referencePrice: '1.08500', volatility: 0, liquidity: '100000000' },
  },
});

describe('desk ↔ broker simulator over FIX', () => {
  let sim: SimulatorProcess;
  let config: DeskConfig;
  let dir: string;
  let desk: Desk;
  let view: DeskView;

  const ticket = (t: Partial<OrderTicket>): OrderTicket => restingTicket(t);

  async function openDesk(): Promise<void> {
    desk = createDesk({ config, dataDir: dir, journalSyncMs: 0 });
    await desk.start();
    view = new DeskView(desk);
    await until('both sessions logged on', () => ['SIM-A', 'SIM-B'].every((b) => view.sessions.get(b)?.state === 'loggedOn'));
  }

  async function submit(t: Partial<OrderTicket>): Promise<string> {
    const r = await desk.call('submitOrder', ticket(t));
    if (!r.ok) throw new Error(r.error.message);
    return r.value.orderId;
  }

  beforeAll(async () => {
    sim = await startSimulatorProcess({ config: simConfig([0, 0]) });
    dir = mkdtempSync(join(tmpdir(), 'desk-fix-'));
    config = parseDeskConfig({
      accounts: ['FUND-ALPHA'],
      brokers: brokerEntriesFor(sim.brokers),
    });
    await openDesk();
  });

  afterAll(async () => {
    await desk?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fills a marketable order with exact quantities and prices', async () => {
    const id = await submit({ quantity: '300', limitPrice: '191' });
    const done = await until('filled', () => view.orders.get(id)?.status === 'filled' && view.orders.get(id));
    expect(done).toMatchObject({ cumQty: '300', leavesQty: '0', avgPx: '190' });
    const fills = [...view.executions.values()].filter((e) => e.orderId === id);
    expect(fills.length).toBeGreaterThanOrEqual(2);
    expect(fills.reduce((sum, f) => sum + Number(f.lastQty), 0)).toBe(300);
  });

  it("keeps every FIX message of an order, ours and the broker's, raw, in its history", async () => {
    const id = await submit({ quantity: '20', limitPrice: '191' });
    await until('filled', () => view.orders.get(id)?.status === 'filled');
    const history = await until('history with the sent order', async () => {
      const h = await desk.call('getOrderHistory', { orderId: id });
      return h.ok && h.value.entries.some((e) => e.fix?.direction === 'out') ? h.value : undefined;
    });
    const sent = history.entries.find((e) => e.fix?.direction === 'out');
    expect(sent?.fix?.raw).toMatch(/\|35=D\|/);
    expect(sent?.fix?.fields).toContainEqual({ tag: 11, name: 'ClOrdID', value: id });
    expect(history.entries.filter((e) => e.fix?.direction === 'in').length).toBeGreaterThanOrEqual(2);
  });

  it("keeps the FIX sessions in the journal's database: the order event and its NewOrderSingle commit together", async () => {
    const id = await submit({ quantity: '10', limitPrice: '150' });
    const db = new Database(join(dir, 'desk.sqlite'), { readonly: true });
    try {
      const submitted = db.prepare("SELECT count(*) FROM events WHERE type = 'orderSubmitted' AND order_id = ?").pluck().get(id);
      const sent = db.prepare("SELECT count(*) FROM fix_messages WHERE direction = 'out' AND msg_type = 'D' AND raw LIKE ?").pluck().get(`%\x0111=${id}\x01%`);
      const sessions = db.prepare('SELECT name FROM fix_sessions ORDER BY name').pluck().all();
      expect({ submitted, sent }).toEqual({ submitted: 1, sent: 1 });
      expect(sessions).toEqual([expect.stringMatching(/^SIM-A\./), expect.stringMatching(/^SIM-B\./)]);
    } finally {
      db.close();
    }
    expect(existsSync(join(dir, 'fix-sessions'))).toBe(false);
  });

  it('amends and cancels a resting order on the second broker', async () => {
    const id = await submit({ broker: 'SIM-B', quantity: '1000000', instrumentId: 'EURUSD.SPOT', limitPrice: '1.07' });
    await until('new', () => view.orders.get(id)?.status === 'new');
    const amend = await desk.call('amendOrder', { orderId: id, quantity: '2000000', limitPrice: '1.071' });
    expect(amend.ok).toBe(true);
    const replaced = await until('replaced', () => view.orders.get(id)?.quantity === '2000000' && !view.orders.get(id)?.pending && view.orders.get(id));
    expect(replaced).toMatchObject({ status: 'new', limitPrice: '1.071', leavesQty: '2000000' });
    expect(replaced.liveClOrdId).not.toBe(id);
    expect((await desk.call('cancelOrder', { orderId: id })).ok).toBe(true);
    await until('canceled', () => view.orders.get(id)?.status === 'canceled');
  });

  it("shows the broker's reason for a rejected order", async () => {
    const id = await submit({ instrumentId: 'MSFT.XNAS' });
    const rejected = await until('rejected', () => view.orders.get(id)?.status === 'rejected' && view.orders.get(id));
    expect(rejected.text).toMatch(/unknown symbol/i);
  });

  it('learns on restart what happened while the desk was down', async () => {
    const id = await submit({ quantity: '400', limitPrice: '185' }); // not marketable: rests
    await until('new', () => view.orders.get(id)?.status === 'new');
    await desk.stop();
    await openDesk();
    expect(view.orders.get(id)?.status).toBe('new');
    // Still live at the broker after the restart: a cancel goes through.
    expect((await desk.call('cancelOrder', { orderId: id })).ok).toBe(true);
    await until('canceled', () => view.orders.get(id)?.status === 'canceled');
  });

  it('learns from status reports the fills that happened while it was down', async () => {
    const id = await submit({ quantity: '1000', limitPrice: '191' }); // marketable: fills in about 0.5 s
    await until('acknowledged', () => view.orders.get(id)?.status !== 'pendingNew');
    await desk.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    await openDesk();
    const done = await until('filled by status report', () => view.orders.get(id)?.status === 'filled' && view.orders.get(id));
    expect(done).toMatchObject({ cumQty: '1000', leavesQty: '0', avgPx: '190' });
  });

  it('reconnects by itself when the broker restarts, and trades again', async () => {
    const ports = sim.brokers.map((b) => b.port);
    sim.kill();
    await sim.exited;
    await until('disconnected', () => view.sessions.get('SIM-A')?.state !== 'loggedOn');
    const refused = await desk.call('submitOrder', ticket({}));
    expect(refused.ok ? 'ok' : refused.error.code).toBe('BROKER_UNAVAILABLE');
    sim = await startSimulatorProcess({ config: simConfig(ports) });
    await until('logged on again', () => view.sessions.get('SIM-A')?.state === 'loggedOn', 15_000);
    const id = await submit({ quantity: '10', limitPrice: '191' });
    await until('filled after reconnect', () => view.orders.get(id)?.status === 'filled');
  });
});
