import { cpSync, existsSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalBackups } from '../../core/data-folder/journal-backups';
import type { BackupFile } from '../../core/data-folder/journal-backups';
import { EXIT_JOURNAL_REFUSED } from '../../core/data-folder/open-data-folder';
import { silentLogger } from '../../core/log/logger';
import { TestClock } from '../../core/time/test-clock';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import { SeededRandom } from '../../simulator/seeded-random';
import { brokerEntriesFor } from '../support/broker-entries';
import { DeskWsClient } from '../support/desk-ws-client';
import type { HostProcess } from '../support/host-process';
import { runHostToExit, runRestore, startHostProcess } from '../support/host-process';

/**
 * A real journal (a desk that traded with the simulator and stopped cleanly), copied and damaged the
 * ways disks and people damage files. The host started on each copy must refuse, every time, with
 * one message that names the file and what to do, and exit code 3: never a stack trace, never an
 * empty desk. Then the two ways out: a new journal (the damaged one kept aside), and a restore of a
 * backup taken online while the desk ran.
 */
const seed = Number(process.env.DAMAGE_SEED ?? 20261207);
const BROKER = 'SIM-A';

describe(`a damaged journal (seed ${seed})`, () => {
  const random = new SeededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'meridian-damage-'));
  const configPath = join(dir, 'desk.json');
  const realDir = join(dir, 'real');
  const token = randomBytes(16).toString('hex');
  let sim: SimulatorProcess;
  let host: HostProcess | undefined;
  let backup: BackupFile;
  const beforeBackup: string[] = [];

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        seed: 7,
        tickIntervalMs: 100,
        ackDelayMs: 0,
        fills: { enabled: true, intervalMs: 40, fraction: 1 },
        control: 0,
        stateDir: join(dir, 'sim-state'),
        brokers: [{ name: BROKER, port: 0, senderCompId: BROKER, targetCompId: 'MERIDIAN' }],
        instruments: { 'AAPL.XNAS': { referencePrice: '190.00', volatility: 0 } },
      },
    });
    writeFileSync(
      configPath,
      JSON.stringify({ accounts: ['FUND-ALPHA'], brokers: brokerEntriesFor(sim.brokers, { resetSeqNumOnLogon: false }), backups: { dir: join(dir, 'backups') } }),
    );

    host = await startHostProcess({ configPath, dataDir: realDir, token });
    const client = await DeskWsClient.connect(host.url);
    await client.until('logged on', () => client.sessions.get(BROKER)?.state === 'loggedOn', 20_000);
    const submit = () =>
      client.call('submitOrder', { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '100', orderType: 'limit', limitPrice: '191', timeInForce: 'day', account: 'FUND-ALPHA', broker: BROKER });
    for (let i = 0; i < 6; i++) {
      const result = await submit();
      if (!result.ok) throw new Error(result.error.message);
      beforeBackup.push(result.value.orderId);
    }
    await client.until('all filled', () => beforeBackup.every((id) => client.orders.get(id)?.status === 'filled'), 20_000);
    // Online, from this process, while the desk process runs: what the desk's own backups do.
    backup = await new JournalBackups({
      journalPath: join(realDir, 'desk.sqlite'),
      policy: { dir: join(dir, 'backups'), everyMs: 3_600_000, keep: 3 },
      clock: new TestClock('2026-12-07T09:00:00.000Z'),
      log: silentLogger,
    }).backupNow();
    for (let i = 0; i < 2; i++) await submit();
    client.close();
    await host.stop();
    host = undefined;
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the real data folder, damaged by `damage(journalPath)`. */
  function damagedCopy(name: string, damage: (journal: string) => void): string {
    const copy = join(dir, name);
    cpSync(realDir, copy, { recursive: true });
    damage(join(copy, 'desk.sqlite'));
    return copy;
  }

  const pagesInUse = (journal: string): number[] => {
    const db = new Database(journal); // read-write: its close removes the -wal and -shm it made
    try {
      return db.prepare("SELECT DISTINCT pageno FROM dbstat WHERE name IN ('events', 'fix_messages', 'snapshot_blocks') ORDER BY pageno").pluck().all() as number[];
    } finally {
      db.close();
    }
  };
  const overwritePages = (journal: string, pages: readonly number[]) => {
    const fd = openSync(journal, 'r+');
    for (const page of pages) writeSync(fd, Buffer.from(Array.from({ length: 4096 }, () => random.integer(255))), 0, 4096, (page - 1) * 4096);
    closeSync(fd);
  };

  const damages: ReadonlyArray<readonly [string, (journal: string) => void]> = [
    ['truncated to half', (j) => truncateSync(j, Math.floor(readFileSync(j).length / 2))],
    ['truncated mid-page', (j) => truncateSync(j, readFileSync(j).length - 1_000)],
    [
      'three random pages of its tables overwritten',
      (j) => {
        const pages = pagesInUse(j);
        expect(pages.length).toBeGreaterThan(3);
        overwritePages(j, [0, 1, 2].map(() => pages[random.integer(pages.length - 1)]!));
      },
    ],
    ['its header page overwritten', (j) => overwritePages(j, [1])],
    ['emptied (0 bytes)', (j) => truncateSync(j, 0)],
    ['deleted', (j) => rmSync(j)],
  ];

  it.each(damages)('%s: the host refuses, every time, with one message and exit code 3', async (name, damage) => {
    const copy = damagedCopy(name.replace(/\W+/g, '-'), damage);
    const journal = join(copy, 'desk.sqlite');
    const before = fingerprint(copy);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const outcome = await runHostToExit({ configPath, dataDir: copy, token });
      expect(outcome.code, `attempt ${attempt}\n${outcome.stderr}`).toBe(EXIT_JOURNAL_REFUSED);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toContain(`Meridian Desk will not start: the journal ${journal} `);
      expect(outcome.stderr).toContain(`npm run restore -- --from ${backup.path} --data-dir ${copy}`);
      expect(outcome.stderr).toContain(`npm run serve -- --new-journal --data-dir ${copy}`);
      expect(outcome.stderr).not.toMatch(/^\s+at /m); // no stack trace
      expect(outcome.stderr).not.toContain('"level"'); // one message, not a log
      expect(fingerprint(copy), `the refusal changed nothing in the data folder\n${outcome.stderr}`).toEqual(before);
    }
  }, 60_000);

  it('--new-journal sets the damaged journal aside and starts an empty one', async () => {
    const copy = damagedCopy('new-journal', (j) => truncateSync(j, Math.floor(readFileSync(j).length / 2)));
    const damagedHash = hashOf(join(copy, 'desk.sqlite'));
    host = await startHostProcess({ configPath, dataDir: copy, token, args: ['--new-journal'] });
    const client = await DeskWsClient.connect(host.url);
    expect(client.orders.size).toBe(0);
    client.close();
    await host.stop();
    host = undefined;
    const aside = readdirSync(copy).filter((f) => /^desk\.sqlite\.damaged-\d{8}T\d{9}Z$/.test(f));
    expect(aside).toHaveLength(1);
    expect(hashOf(join(copy, aside[0]!))).toBe(damagedHash);
    // The next start is an ordinary one: the new journal is the folder's journal now.
    host = await startHostProcess({ configPath, dataDir: copy, token });
    await host.stop();
    host = undefined;
  }, 60_000);

  it('a damaged backup is refused and nothing is changed', async () => {
    const copy = damagedCopy('bad-backup', () => {});
    const damagedBackup = join(dir, 'damaged-backup.sqlite');
    cpSync(backup.path, damagedBackup);
    truncateSync(damagedBackup, Math.floor(readFileSync(damagedBackup).length / 2));
    const before = fingerprint(copy);
    const outcome = await runRestore(['--from', damagedBackup, '--data-dir', copy]);
    expect(outcome.code, outcome.stderr).toBe(EXIT_JOURNAL_REFUSED);
    expect(outcome.stderr).toMatch(/^Not restored \(nothing was changed\): .*damaged-backup\.sqlite (is damaged|is not a usable journal)/);
    expect(fingerprint(copy)).toEqual(before);
  }, 60_000);

  it('a restored backup starts with the orders it holds and a new ClOrdID prefix; no ClOrdID reaches the broker twice', async () => {
    const copy = damagedCopy('restored', (j) => overwritePages(j, pagesInUse(j).slice(-3)));
    const damagedHash = hashOf(join(copy, 'desk.sqlite'));
    const outcome = await runRestore(['--from', backup.path, '--data-dir', copy]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain(`Restored ${backup.path} into ${join(copy, 'desk.sqlite')} (events up to seq ${backup.seq}`);
    const aside = readdirSync(copy).filter((f) => /^desk\.sqlite\.replaced-\d{8}T\d{9}Z$/.test(f));
    expect(aside).toHaveLength(1);
    expect(hashOf(join(copy, aside[0]!))).toBe(damagedHash);

    host = await startHostProcess({ configPath, dataDir: copy, token });
    const client = await DeskWsClient.connect(host.url);
    for (const id of beforeBackup) expect(client.orders.get(id)?.status, id).toBe('filled');
    // The backup's outgoing sequence number is behind the broker's: what the restore says to do.
    await client.call('logoutSession', { broker: BROKER });
    await client.until('logged out', () => client.sessions.get(BROKER)?.state === 'stopped');
    const { nextIn } = await sim.control!.state(BROKER);
    const set = await client.call('setNextSequenceNumbers', { broker: BROKER, outgoing: nextIn, confirm: true });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    await client.call('connectSession', { broker: BROKER });
    await client.until('logged on', () => client.sessions.get(BROKER)?.state === 'loggedOn', 20_000);
    const next = await client.call('submitOrder', { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '100', orderType: 'limit', limitPrice: '191', timeInForce: 'day', account: 'FUND-ALPHA', broker: BROKER });
    expect(next.ok, JSON.stringify(next)).toBe(true);
    const oldPrefix = beforeBackup[0]!.split('-')[0];
    expect(next.ok && next.value.clOrdId.split('-')[0]).not.toBe(oldPrefix);
    client.close();
    await host.stop();
    host = undefined;
    const ids = sim.receivedClOrdIds().map((r) => r.clOrdId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'ClOrdIDs the broker received twice').toEqual([]);
  }, 90_000);
});

function hashOf(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every file of a folder and its content: what a refusal must leave as it was. */
function fingerprint(folder: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (existsSync(path) && !name.startsWith('backups')) result[name] = hashOf(path);
  }
  return result;
}
