import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { restingTicket } from '../support/tickets';

/**
 * A full disk for real: the data folder on a 16 MiB tmpfs made for the test (it needs the right to
 * mount; where that is missing the test says so and is skipped), filled with a file until writes fail.
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'desk-full-'));
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!mounted) console.warn('disk-full test skipped: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)');

describe.skipIf(!mounted)('a full disk', () => {
  let sim: SimulatorProcess;
  let config: DeskConfig;
  let desk: Desk;
  let view: DeskView;
  const dataDir = join(mountPoint, 'data');
  const filler = join(mountPoint, 'filler');

  const ticket = (t: Partial<OrderTicket> = {}): OrderTicket => restingTicket(t);

  /** Fills the file system to its last byte. */
  function fillDisk(): void {
    const fd = openSync(filler, 'a');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch {
      try {
        for (;;) writeSync(fd, chunk, 0, 512);
      } catch {
        // full
      }
    } finally {
      closeSync(fd);
    }
    expect(statfsSync(mountPoint).bavail).toBe(0);
  }

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
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
    desk = createDesk({ config, dataDir, journalSyncMs: 0 });
    await desk.start();
    view = new DeskView(desk);
    await until('logged on', () => view.sessions.get('SIM-A')?.state === 'loggedOn');
  }, 60_000);

  afterAll(async () => {
    await desk?.stop().catch(() => {});
    await sim?.stop();
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
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
    const states: string[] = [];
    const unsubscribe = desk.subscribe((m) => {
      if (m.kind === 'sessions') for (const row of m.rows) if (row.broker === 'SIM-A') states.push(row.state);
    });
    rmSync(filler);
    const again = await desk.call('submitOrder', ticket({ quantity: '7' }));
    expect(again.ok).toBe(true);
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
    rmSync(filler);
    await until('logged on again', () => view.sessions.get('SIM-A')?.state === 'loggedOn', 30_000);
    await until('the fills learned', () => view.orders.get(id)?.cumQty === '50', 20_000);
  });
});
