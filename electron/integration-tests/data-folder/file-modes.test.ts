import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import { brokerEntriesFor } from '../support/broker-entries';
import { DeskWsClient } from '../support/desk-ws-client';
import { runHostToExit, startHostProcess } from '../support/host-process';

/**
 * Every order and FIX message is in the data folder: nobody but the desk's user may read it. The
 * folder is 0700 and every file in it 0600 (the journal, its -wal and -shm, the lock, the marker),
 * also a folder an earlier run left 0755; the simulator's state likewise; the token never on the
 * command line, and from a file only when that file is private.
 */
describe.skipIf(process.platform === 'win32')('file modes and the token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-modes-'));
  const configPath = join(dir, 'desk.json');
  const stateDir = join(dir, 'sim-state');
  let sim: SimulatorProcess;

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        seed: 3,
        ackDelayMs: 0,
        fills: { enabled: true, intervalMs: 40, fraction: 1 },
        stateDir,
        brokers: [{ name: 'SIM-A', port: 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN' }],
        instruments: { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 } },
      },
    });
    writeFileSync(configPath, JSON.stringify({ accounts: ['FUND-ALPHA'], brokers: brokerEntriesFor(sim.brokers) }));
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the data folder is 0700 and every file the desk writes 0600, also in a folder left open by an earlier run', async () => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'left-by-an-earlier-run.txt'), 'x', { mode: 0o644 });
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${randomBytes(16).toString('hex')}\n`, { mode: 0o600 });

    const host = await startHostProcess({ configPath, dataDir, args: ['--token-file', tokenFile] });
    const client = await DeskWsClient.connect(host.url);
    await client.until('logged on', () => client.sessions.get('SIM-A')?.state === 'loggedOn', 20_000);
    const order = await client.call('submitOrder', { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '10', orderType: 'market', timeInForce: 'day', account: 'FUND-ALPHA', broker: 'SIM-A' });
    expect(order.ok).toBe(true);
    await client.until('filled', () => order.ok && client.orders.get(order.value.orderId)?.status === 'filled');

    const running = modes(dataDir);
    expect(Object.keys(running)).toEqual(expect.arrayContaining(['.', 'desk.sqlite', 'desk.sqlite-wal', 'desk.sqlite-shm', 'desk.lock', 'desk.lock.json', 'desk.journal.json', 'backups']));
    expect(notPrivate(running), 'readable by others while the desk runs').toEqual({});
    client.close();
    await host.stop();
    expect(notPrivate(modes(dataDir)), 'readable by others after a clean stop').toEqual({});
  }, 60_000);

  it("the simulator's state is private too", () => {
    const state = modes(stateDir);
    expect(Object.keys(state).some((f) => f.endsWith('.sqlite'))).toBe(true);
    expect(notPrivate(state)).toEqual({});
  });

  it('the token on the command line, or in a file others can read, is refused before anything starts', async () => {
    const dataDir = join(dir, 'never-made');
    const onCommandLine = await runHostToExit({ configPath, dataDir, args: ['--token', randomBytes(16).toString('hex')] });
    expect(onCommandLine.code).toBe(2);
    expect(onCommandLine.stderr).toMatch(/^--token is not accepted: every local user can read the command line \(ps\)\. Set MERIDIAN_TOKEN, or put the token in a file of mode 0600/);

    const openFile = join(dir, 'open-token');
    writeFileSync(openFile, randomBytes(16).toString('hex'), { mode: 0o644 });
    chmodSync(openFile, 0o644);
    const readable = await runHostToExit({ configPath, dataDir, args: ['--token-file', openFile] });
    expect(readable.code).toBe(2);
    expect(readable.stderr).toContain(`--token-file ${openFile} is readable by others (mode 644): chmod 600 ${openFile}`);
    expect(() => statSync(dataDir)).toThrow(/ENOENT/);
  }, 60_000);
});

/** Mode bits (permissions only) of a folder and of everything in it, by path relative to it. */
function modes(root: string): Record<string, string> {
  const result: Record<string, string> = { '.': (statSync(root).mode & 0o777).toString(8) };
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      result[relative(root, path)] = (statSync(path).mode & 0o777).toString(8);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return result;
}

function notPrivate(found: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(found).filter(([, mode]) => mode !== '700' && mode !== '600'));
}
