import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../../shared/contract/views';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import { SeededRandom } from '../../simulator/seeded-random';
import { DeskWsClient } from '../support/desk-ws-client';
import type { HostProcess } from '../support/host-process';
import { startHostProcess } from '../support/host-process';
import { brokerEntriesFor } from '../support/broker-entries';

/**
 * The desk process is killed with SIGKILL at random points of a flow of orders, amends and cancels,
 * and restarted on the same journal, ROUNDS times. Afterwards the desk's view must equal the
 * broker's truth (the simulator's), no fill may be missing or doubled, and the broker must never
 * have seen a ClOrdID twice. The seed is printed; rerun one with CRASH_SEED=<seed>.
 */
const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 1e9));
const rounds = Number(process.env.CRASH_ROUNDS ?? 50);
const BROKERS = ['SIM-A', 'SIM-B'] as const;

describe(`desk killed with SIGKILL at random points (seed ${seed}, ${rounds} rounds)`, () => {
  const random = new SeededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'meridian-crash-'));
  const configPath = join(dir, 'desk.json');
  const dataDir = join(dir, 'data');
  const token = randomBytes(16).toString('hex');
  let sim: SimulatorProcess;
  let host: HostProcess | undefined;

  beforeAll(async () => {
    console.log(`crash-recovery seed ${seed} (rerun with CRASH_SEED=${seed})`);
    sim = await startSimulatorProcess({
      config: {
        seed: 11,
        tickIntervalMs: 100,
        ackDelayMs: 0,
        fills: { enabled: true, intervalMs: 60, fraction: 0.3 },
        control: 0,
        stateDir: join(dir, 'sim-state'),
        brokers: BROKERS.map((name) => ({ name, port: 0, senderCompId: name, targetCompId: 'MERIDIAN' })),
        instruments: {
          'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 },
          'MSFT.XNAS': { referencePrice: '420.00', volatility: 0 },
        },
      },
    });
    writeFileSync(
      configPath,
      JSON.stringify({
        accounts: ['FUND-ALPHA'],
        brokers: brokerEntriesFor(sim.brokers, { resetSeqNumOnLogon: false }),
      }),
    );
  });

  afterAll(async () => {
    await host?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openDesk(): Promise<DeskWsClient> {
    host = await startHostProcess({ configPath, dataDir, token });
    const client = await DeskWsClient.connect(host.url);
    await client.until('both sessions logged on', () => BROKERS.every((b) => client.sessions.get(b)?.state === 'loggedOn'), 20_000);
    return client;
  }

  /** One random action; not awaited, so the crash can land while it is in flight. */
  function randomAction(client: DeskWsClient): Promise<unknown> {
    const open = [...client.orders.values()].filter((o) => ['new', 'partiallyFilled', 'pendingNew'].includes(o.status) && o.pending === undefined);
    const pick = random.next();
    if (pick < 0.2 && open.length > 0) {
      const order = open[random.integer(open.length - 1)]!;
      return client.call('cancelOrder', { orderId: order.orderId });
    }
    if (pick < 0.35 && open.length > 0) {
      const order = open[random.integer(open.length - 1)]!;
      return client.call('amendOrder', { orderId: order.orderId, quantity: String(Number(order.quantity) + 10 + random.integer(50)) });
    }
    const marketable = random.next() < 0.5;
    const instrumentId = random.next() < 0.5 ? 'AAPL.XNAS' : 'MSFT.XNAS';
    const reference = instrumentId === 'AAPL.XNAS' ? 190 : 420;
    return client.call('submitOrder', {
      instrumentId,
      side: 'buy',
      quantity: String(50 + random.integer(450)),
      orderType: 'limit',
      limitPrice: String(marketable ? reference + 1 : reference - 20),
      timeInForce: 'day',
      account: 'FUND-ALPHA',
      broker: BROKERS[random.integer(1)]!,
    });
  }

  it('loses nothing and sends nothing twice', async () => {
    for (let round = 1; round <= rounds; round++) {
      const client = await openDesk();
      const actions = 1 + random.integer(5);
      for (let i = 0; i < actions; i++) {
        void randomAction(client);
        if (random.next() < 0.5) await new Promise((r) => setTimeout(r, random.integer(40)));
      }
      await new Promise((r) => setTimeout(r, random.integer(300)));
      client.close();
      await host!.crash();
    }

    const client = await openDesk();
    // Reconciliation: every order settles (no request left pending, nothing uncertain).
    await client.until(
      'every order settled after recovery',
      () => [...client.orders.values()].every((o) => o.pending === undefined && o.status !== 'pendingNew' && !isUncertain(o)),
      30_000,
    );
    // Let resting orders' fills and replays arrive, then compare with the broker's truth.
    await new Promise((r) => setTimeout(r, 1_000));
    const control = sim.control!;
    for (const broker of BROKERS) {
      const truth = await control.orders(broker);
      const deskOrders = [...client.orders.values()].filter((o) => o.broker === broker);
      for (const t of truth) {
        const order = deskOrders.find((o) => t.clOrdIds.includes(o.orderId));
        expect(order, `${broker} order ${t.clOrdIds.join('>')} known to the broker is missing on the desk`).toBeDefined();
        expect({ id: order!.orderId, status: order!.status, cumQty: order!.cumQty, leavesQty: order!.leavesQty }).toEqual({
          id: order!.orderId,
          status: t.status,
          cumQty: t.cumQty,
          leavesQty: t.leavesQty,
        });
        const deskFills = [...client.executions.values()].filter((e) => e.orderId === order!.orderId && e.state === 'active' && e.execType === 'trade');
        expect(deskFills.map((e) => e.execId).sort(), `fills of ${order!.orderId}`).toEqual(t.executions.map((e) => e.execId).sort());
      }
      for (const o of deskOrders) {
        if (truth.some((t) => t.clOrdIds.includes(o.orderId))) continue;
        expect(o.status, `${o.orderId} never reached ${broker}, so it must show rejected`).toBe('rejected');
      }
    }
    // The order summaries (written behind the journal, so a kill often lands before them; caught up at
    // each start) show every order as the desk does.
    const searched: OrderView[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.call('searchOrders', { view: 'all', limit: 100, ...(cursor !== undefined && { cursor }) });
      if (!page.ok) throw new Error(page.error.message);
      searched.push(...page.value.orders);
      cursor = page.value.nextCursor;
    } while (cursor !== undefined);
    const summaries = new Map(searched.map((o) => [o.orderId, o]));
    expect(summaries.size).toBe(client.orders.size);
    for (const o of client.orders.values()) expect(summaries.get(o.orderId), `the summary of ${o.orderId}`).toEqual(o);
    const sent = sim.receivedClOrdIds().filter((r) => r.msgType !== 'H' && r.msgType !== 'AF');
    const ids = sent.map((r) => r.clOrdId);
    expect(ids.length).toBeGreaterThan(rounds);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'ClOrdIDs the broker received twice').toEqual([]);
    client.close();
  }, 600_000);
});

function isUncertain(o: OrderView): boolean {
  return o.uncertain !== undefined;
}
