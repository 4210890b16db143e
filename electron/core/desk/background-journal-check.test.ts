import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertView } from '../../../shared/contract/views';
import { parseDeskConfig } from '../config/desk-config';
import { damageAnEventsPage } from '../data-folder/journal-integrity.test-support';
import { createLogger } from '../log/logger';
import { limitTicket } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import { createDesk } from './create-desk';
import type { Desk } from './desk';
import { FakeBroker } from './fake-broker.test-support';

const config = parseDeskConfig({ accounts: ['FUND-ALPHA'], brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }] });

/**
 * A journal too big to check whole before the start (data-folder/journal-integrity.ts) is checked
 * on a worker thread once the desk runs: damage in pages the start never read is an alert.
 */
describe('the background check of a big journal', () => {
  let dir: string;
  let clock: TestClock;
  let logLines: string[];

  const open = (checkJournalInBackground: boolean): Desk =>
    createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
      checkJournalInBackground,
      log: createLogger({ level: 'info', write: (line) => logLines.push(line) }),
      connectBroker: (c, listener, _log, options) => new FakeBroker(c.name, listener, options.unitOfWork),
    });

  /** The alerts the desk publishes, once `until` holds for them (the check runs on real time). */
  async function alertsOnce(desk: Desk, until: (alerts: AlertView[]) => boolean): Promise<AlertView[]> {
    const rows = new Map<string, AlertView>();
    desk.subscribe((m) => {
      for (const a of m.kind === 'snapshot' ? m.alerts : m.kind === 'alerts' ? m.rows : []) rows.set(a.id, a);
    });
    for (let waited = 0; waited < 20_000; waited += 20) {
      clock.advance(20);
      if (until([...rows.values()])) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return [...rows.values()];
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-check-test-'));
    clock = new TestClock();
    logLines = [];
    // A day of orders, then a clean stop: the next start restores its snapshot and reads none of those events.
    const desk = open(false);
    await desk.start();
    for (let i = 0; i < 400; i++) {
      const result = await desk.call('submitOrder', limitTicket);
      expect(result.ok).toBe(true);
    }
    await desk.stop();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('damage in pages the start did not read: the desk starts, then raises JOURNAL_DAMAGED', async () => {
    damageAnEventsPage(join(dir, 'desk.sqlite'));
    const desk = open(true);
    await desk.start();
    try {
      const alerts = await alertsOnce(desk, (a) => a.some((x) => x.code === 'JOURNAL_DAMAGED'));
      expect(alerts).toContainEqual(expect.objectContaining({ level: 'error', code: 'JOURNAL_DAMAGED', message: expect.stringMatching(/^The journal is damaged in pages the start did not read .*restore the newest backup/) }));
      let shown = 0;
      desk.subscribe((m) => {
        if (m.kind === 'snapshot') shown = m.orders.length;
      });
      expect(shown, 'the orders restored from the snapshot').toBe(400);
    } finally {
      await desk.stop();
    }
  });

  it('a sound journal: checked, no alert', async () => {
    const desk = open(true);
    await desk.start();
    try {
      await alertsOnce(desk, () => logLines.some((l) => l.includes('journal checked whole in the background')));
      expect(logLines.some((l) => l.includes('journal checked whole in the background'))).toBe(true);
      const alerts = await alertsOnce(desk, () => true);
      expect(alerts.filter((a) => a.code?.startsWith('JOURNAL') === true)).toEqual([]);
    } finally {
      await desk.stop();
    }
  });
});
