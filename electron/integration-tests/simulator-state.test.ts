import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDeskConfig } from '../core/config/desk-config';
import { createDesk } from '../core/desk/create-desk';
import { silentLogger } from '../core/log/logger';
import { startSimulatorProcess } from '../host/simulator-process';
import type { SimulatorProcess } from '../host/simulator-process';
import { freePort } from '../simulator/launch';
import { DeskView, until } from './support/desk-view';

/**
 * The bundled simulator as `npm start` / `npm run serve` run it (the host's launcher, the real
 * simulator script, `--state-dir` under the desk's data folder): a restart of the desk and the
 * simulator finds the resting order still at the broker, not "unknown order".
 */
const repoRoot = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'sim-state-dir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled simulator keeps its state in the data folder', () => {
  it('a resting order survives a restart of the desk and of the simulator', async () => {
    const port = await freePort();
    const configPath = join(dir, 'simulator.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        seed: 1,
        brokers: [{ name: 'SIM-A', port, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN' }],
        instruments: { 'AAPL.XNAS': { referencePrice: '100', volatility: 0 } },
      }),
    );
    const dataDir = join(dir, 'data');
    const stateDir = join(dataDir, 'simulator');
    const config = parseDeskConfig({ accounts: ['FUND-ALPHA'], brokers: [{ name: 'SIM-A', port, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A', reconnectSeconds: 0.2 }] });
    const start = () => startSimulatorProcess({ script: join(repoRoot, 'electron/simulator/main.ts'), configPath, stateDir, cwd: repoRoot, log: silentLogger });
    let sim: SimulatorProcess = await start();
    try {
      let desk = createDesk({ config, dataDir, journalSyncMs: 0 });
      await desk.start();
      let view = new DeskView(desk);
      await until('logged on', () => view.sessions.get('SIM-A')?.state === 'loggedOn');
      const r = await desk.call('submitOrder', { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '100', orderType: 'limit', limitPrice: '90', timeInForce: 'day', account: 'FUND-ALPHA', broker: 'SIM-A' });
      if (!r.ok) throw new Error(r.error.message);
      await until('new', () => view.orders.get(r.value.orderId)?.status === 'new');
      expect(existsSync(join(stateDir, 'SIM-A.trading.sqlite'))).toBe(true);

      await desk.stop();
      await sim.stop();
      sim = await start();
      desk = createDesk({ config, dataDir, journalSyncMs: 0 });
      await desk.start();
      view = new DeskView(desk);
      // In doubt after the restart, then settled by the broker's answer to the status request: still working there.
      await until('settled: still New at the broker', () => {
        const o = view.orders.get(r.value.orderId);
        return o?.status === 'new' && o.uncertain === undefined && view.sessions.get('SIM-A')?.state === 'loggedOn';
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(view.orders.get(r.value.orderId)).toMatchObject({ status: 'new', leavesQty: '100' });
      expect(view.alerts.filter((a) => a.code === 'ORDER_LOST_BY_BROKER' || a.code === 'ORDER_NOT_RECEIVED')).toEqual([]);
      await desk.stop();
    } finally {
      await sim.stop();
    }
  }, 60_000);
});
