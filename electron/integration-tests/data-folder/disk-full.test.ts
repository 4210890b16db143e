import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../../shared/contract/ticket';
import type { DeskConfig } from '../../core/config/desk-config';
import { parseDeskConfig } from '../../core/config/desk-config';
import { createDesk } from '../../core/desk/create-desk';
import type { Desk } from '../../core/desk/desk';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import { brokerEntriesFor } from '../support/broker-entries';
import { DeskView, until } from '../support/desk-view';
import type { JournalSpace } from '../support/journal-space';
import { pageCappedJournal, tmpfsJournal } from '../support/journal-space';
import { restingTicket } from '../support/tickets';

/**
 * A full disk for real, two ways: SQLite's page limit on the journal (runs everywhere, CI included)
 * and a 16 MiB tmpfs filled to its last byte (where the test may mount one; else said and skipped).
 */
const tmpfs = tmpfsJournal();
if (tmpfs === undefined) console.warn('disk-full test on a tmpfs skipped: cannot mount one here (needs root or CAP_SYS_ADMIN); the page-capped journal still runs');
const ways: ReadonlyArray<readonly [string, () => JournalSpace | undefined]> = [
  ['a journal capped at its size (max_page_count)', pageCappedJournal],
  ['a full tmpfs', () => tmpfs],
];

describe.each(ways)('a full disk: %s', (_name, makeSpace) => {
  const space = makeSpace();
  if (space === undefined) {
    it.skip('needs a tmpfs it can mount', () => {});
    return;
  }
  let sim: SimulatorProcess;
  let config: DeskConfig;
  let desk: Desk;
  let view: DeskView;

  const ticket = (t: Partial<OrderTicket> = {}): OrderTicket => restingTicket(t);
  const fillDisk = () => space.fill();
  const freeDisk = () => space.free();

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        seed: 4,
        control: 0,
        ackDelayMs: 0,
        fills: { enabled: false },
        brokers: [{ name: 'SIM-A', port: 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN', heartbeatSeconds: 5 }],
        instruments: { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 } },
      },
    });
    config = parseDeskConfig({ accounts: ['FUND-ALPHA'], brokers: brokerEntriesFor(sim.brokers, { resetSeqNumOnLogon: false }) }); // what was not stored comes back by resend
    desk = createDesk({ config, dataDir: space.dataDir, journalSyncMs: 0, ...(space.journalOpened !== undefined && { testOnlyJournalOpened: space.journalOpened }) });
    await desk.start();
    view = new DeskView(desk);
    await until('logged on', () => view.sessions.get('SIM-A')?.state === 'loggedOn');
  }, 60_000);

  afterAll(async () => {
    await desk?.stop().catch(() => {});
    await sim?.stop();
    space.dispose();
  });

  it('refuses commands with STORAGE_FULL (an error alert on screen), shows only what was stored; with space again it sends at once on the same session', async () => {
    const first = await desk.call('submitOrder', ticket());
    expect(first.ok).toBe(true);
    const resting = first.ok ? first.value.orderId : '';
    await until('the resting order acknowledged', () => view.orders.get(resting)?.status === 'new');

    fillDisk();
    // Orders until the journal cannot take one (its WAL may still have room for a few).
    let refused: Awaited<ReturnType<Desk['call']>> | undefined;
    const accepted: string[] = [];
    for (let i = 0; i < 2_000 && refused === undefined; i++) {
      const r = await desk.call('submitOrder', ticket({ quantity: String(1 + i) }));
      if (r.ok) accepted.push(r.value.orderId);
      else refused = r;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL', message: expect.stringContaining("The journal's disk is full") } });
    // The screens: every order shown is one the journal has; the refused one nowhere, also for a new window.
    const fresh = new DeskView(desk);
    await until('the screens read back', () => fresh.loaded && view.alerts.some((a) => a.code === 'STORAGE_FULL'));
    const shown = [...fresh.orders.keys()].sort();
    expect(shown).toEqual([resting, ...accepted].sort());
    expect([...view.orders.keys()].sort()).toEqual(shown);
    expect(view.alerts.find((a) => a.code === 'STORAGE_FULL')).toMatchObject({ level: 'error' });
    // Nothing of it reached the broker.
    const sentToBroker = (await sim.control!.received('SIM-A', 0)).filter((m) => m.msgType === 'D').length;
    expect(sentToBroker).toBe(1 + accepted.length);

    // Space again: the next order goes out at once on the same session (what the failed commit held is not stuck).
    freeDisk();
    // A read it could not store meanwhile dropped the session (the broker resends it): logged on again at once.
    await until('logged on', () => view.sessions.get('SIM-A')?.state === 'loggedOn');
    const states: string[] = [];
    const unsubscribe = desk.subscribe((m) => {
      if (m.kind === 'sessions') for (const row of m.rows) if (row.broker === 'SIM-A') states.push(row.state);
    });
    const again = await desk.call('submitOrder', ticket({ quantity: '7' }));
    expect(again).toMatchObject({ ok: true });
    const againId = again.ok ? again.value.orderId : '';
    await until('acknowledged by the broker', () => view.orders.get(againId)?.status === 'new');
    // Sent at once, on the same logon: not held until a gap made the broker ask for it (a PossDup resend).
    unsubscribe();
    expect(states.filter((state) => state !== 'loggedOn')).toEqual([]);
    const received = (await sim.control!.received('SIM-A', 0)).find((m) => m.msgType === 'D' && m.fields.some(([t, v]) => t === 11 && v === againId));
    expect(received?.fields.find(([t]) => t === 43)).toBeUndefined();
    await until('the outage journaled', () => view.alerts.some((a) => a.code === 'STORAGE_FULL' && a.id !== 'storage-full' && /was full from/.test(a.message)));
  });

  it('a fill it cannot store is not taken and does not take the desk down; with space again the session logs on and learns it', async () => {
    const r = await desk.call('submitOrder', ticket({ quantity: '100' }));
    const id = r.ok ? r.value.orderId : '';
    await until('acknowledged', () => view.orders.get(id)?.status === 'new');
    fillDisk();
    // Enough reports that the read needs more room than the journal's WAL has left.
    const fills = Array.from({ length: 50 }, (_, i) => ({
      kind: 'execution' as const,
      execId: `FULL-E${i}`,
      execType: 'trade' as const,
      ordStatus: 'partiallyFilled' as const,
      orderId: 'B1',
      clOrdId: id,
      symbol: 'AAPL',
      side: 'buy' as const,
      orderQty: '100',
      lastQty: '1',
      lastPx: '150',
      cumQty: String(i + 1),
      leavesQty: String(99 - i),
      avgPx: '150',
      text: 'x'.repeat(2_000),
    }));
    await sim.control!.send('SIM-A', fills);
    await until('the session dropped: the read could not be stored', () => view.sessions.get('SIM-A')?.state !== 'loggedOn');
    expect(view.orders.get(id)?.cumQty).toBe('0');
    freeDisk();
    await until('logged on again', () => view.sessions.get('SIM-A')?.state === 'loggedOn', 30_000);
    await until('the fills learned', () => view.orders.get(id)?.cumQty === '50', 20_000);
  });
});
