import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../shared/contract/ticket';
import type { DeskConfig } from '../core/config/desk-config';
import { parseDeskConfig } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import type { Desk } from '../core/desk/desk';
import type { SimulatorProcess } from '../simulator/launch';
import { startSimulatorProcess } from '../simulator/launch';
import { DeskView, until } from './support/desk-view';

/** Drop copy and adoption against the simulator process over real FIX. */
const ticket: OrderTicket = {
  instrumentId: 'AAPL.XNAS',
  side: 'buy',
  quantity: '100',
  orderType: 'limit',
  limitPrice: '191',
  timeInForce: 'day',
  account: 'FUND-ALPHA',
  broker: 'SIM-A',
};

describe('recovery and cross-checks over FIX', () => {
  let sim: SimulatorProcess;
  let config: DeskConfig;
  const dirs: string[] = [];
  const desks: Desk[] = [];

  async function openDesk(): Promise<{ desk: Desk; view: DeskView }> {
    const dir = mkdtempSync(join(tmpdir(), 'desk-recovery-'));
    dirs.push(dir);
    const desk = createDesk({ config, dataDir: dir, journalSyncMs: 0 });
    desks.push(desk);
    await desk.start();
    const view = new DeskView(desk);
    await until('logged on with the drop copy', () => view.sessions.get('SIM-A')?.state === 'loggedOn' && view.sessions.get('SIM-A')?.dropCopy?.state === 'loggedOn');
    return { desk, view };
  }

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        seed: 5,
        tickIntervalMs: 100,
        fills: { enabled: true, intervalMs: 80, fraction: 0.5 },
        brokers: [{ name: 'SIM-A', port: 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN', dropCopy: { port: 0, senderCompId: 'SIM-A-DC', targetCompId: 'MERIDIAN-DC' } }],
        instruments: { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 } },
      },
    });
    const broker = sim.brokers[0]!;
    config = parseDeskConfig({
      accounts: ['FUND-ALPHA'],
      brokers: [
        {
          name: 'SIM-A',
          port: broker.port,
          senderCompId: 'MERIDIAN',
          targetCompId: 'SIM-A',
          heartbeatSeconds: 5,
          reconnectSeconds: 0.2,
          dropCopy: { port: broker.dropCopyPort!, senderCompId: 'MERIDIAN-DC', targetCompId: 'SIM-A-DC' },
        },
      ],
    });
  });

  afterAll(async () => {
    for (const d of desks) await d.stop().catch(() => {});
    await sim?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('cross-checks every fill against the drop copy and raises no false alarm', async () => {
    const { desk, view } = await openDesk();
    const r = await desk.call('submitOrder', { ...ticket, quantity: '400' });
    if (!r.ok) throw new Error(r.error.message);
    await until('filled', () => view.orders.get(r.value.orderId)?.status === 'filled');
    // Past the 5 s grace period: every fill has been matched on both sessions.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const dropCopy = await until('drop copy view', () => view.sessions.get('SIM-A')?.dropCopy);
    expect(dropCopy).toMatchObject({ state: 'loggedOn', mismatches: 0, awaitingMatch: 0 });
    expect(view.alerts.filter((a) => /drop copy/i.test(a.message))).toEqual([]);
    await desk.stop();
  }, 30_000);

  it('adopts, and flags, a live order the broker knows and the desk does not (a lost journal)', async () => {
    const first = await openDesk();
    const r = await first.desk.call('submitOrder', { ...ticket, limitPrice: '150' }); // rests
    if (!r.ok) throw new Error(r.error.message);
    await until('new', () => first.view.orders.get(r.value.orderId)?.status === 'new');
    await first.desk.stop();

    const second = await openDesk(); // a fresh data folder: this desk has never heard of the order
    const adopted = await until('the order adopted from the mass status report', () =>
      [...second.view.orders.values()].find((o) => o.adopted && o.orderId === r.value.orderId),
    );
    expect(adopted).toMatchObject({ status: 'new', quantity: '100', symbol: 'AAPL', broker: 'SIM-A' });
    expect(second.view.alerts.some((a) => a.orderId === adopted.orderId && a.level !== 'info')).toBe(true);
    // Adopted means managed: the desk can cancel it.
    expect((await second.desk.call('cancelOrder', { orderId: adopted.orderId })).ok).toBe(true);
    await until('canceled', () => second.view.orders.get(adopted.orderId)?.status === 'canceled');
    await second.desk.stop();
  }, 30_000);
});
