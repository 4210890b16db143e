import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskConfig } from '../config/desk-config';
import { parseDeskConfig } from '../config/desk-config';
import { damageAnEventsPage } from '../data-folder/journal-integrity.test-support';
import { appendThenKill } from '../data-folder/killed-journal.test-support';
import type { DataFolder, DataFolderOptions } from '../data-folder/open-data-folder';
import { DataFolderRefusal, EXIT_JOURNAL_REFUSED, openDataFolder } from '../data-folder/open-data-folder';
import { SqliteJournal } from '../journal/sqlite-journal';
import { createLogger, silentLogger } from '../log/logger';
import { limitTicket } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import type { CreateDeskOptions } from './create-desk';
import { createDesk } from './create-desk';
import type { Desk } from './desk';
import { FakeBroker } from './fake-broker.test-support';

/**
 * The host's whole check of the journal runs while the desk restores (data-folder/open-data-folder.ts,
 * `checkBesideRestore`): the desk reads meanwhile, and writes into the journal or acts on it only once
 * the check said sound; a damaged journal refuses the start as the check before it did, unchanged.
 */
const config: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }],
});

let dir: string;
let clock: TestClock;
const desks: Desk[] = [];
const folders: DataFolder[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-journal-check-'));
  clock = new TestClock('2026-12-07T09:00:00.000Z');
});
afterEach(async () => {
  for (const d of desks.splice(0)) await d.stop();
  for (const f of folders.splice(0)) f.close({ clean: false });
  rmSync(dir, { recursive: true, force: true });
});

function desk(extra: Partial<CreateDeskOptions> = {}, brokers = new Map<string, FakeBroker>()): Desk {
  const d = createDesk({
    config,
    dataDir: dir,
    clock,
    connectBroker: (c, listener, _log, options) => {
      const b = new FakeBroker(c.name, listener, options.unitOfWork);
      brokers.set(c.name, b);
      return b;
    },
    ...extra,
  });
  desks.push(d);
  return d;
}

function folder(extra: Partial<DataFolderOptions> = {}): DataFolder {
  const f = openDataFolder({ dataDir: dir, host: 'headless', clock, log: silentLogger, commands: { restore: (b) => `restore ${b}`, newJournal: 'start --new-journal' }, ...extra });
  folders.push(f);
  return f;
}

/** Every file of the data folder and its bytes' hash. */
function fingerprint(): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
}

/** A journal that a start writes into: an order whose cancel was not answered when the desk stopped. */
async function journalWithACancelInDoubt(): Promise<void> {
  const first = desk();
  await first.start();
  const r = await first.call('submitOrder', limitTicket);
  if (!r.ok) throw new Error(r.error.message);
  await first.call('cancelOrder', { orderId: r.value.orderId });
  await first.stop();
  desks.splice(0);
}

/**
 * 3,000 events, then a desk that ran on them and stopped cleanly: its snapshot covers every event, so a
 * start reads none of the old events' pages (where the tests damage it).
 */
async function journalADeskStoppedOn(path: string): Promise<void> {
  const journal = new SqliteJournal(path);
  for (let i = 1; i <= 3_000; i++) journal.append({ type: 'cancelRequested', at: '2026-12-07T08:00:00Z', orderId: `O${i}`, clOrdId: `C${i}`, origClOrdId: 'X' });
  journal.close();
  const ran = folder();
  const first = desk({ journalSyncMs: 0 });
  await first.start();
  ran.journalStarted();
  await first.stop();
  desks.splice(0);
  ran.close({ clean: true });
}

/** The desk's start beside a check that refuses: its refusal; the folder closed and the desk dropped unstopped, as the hosts do (a clean stop would write a snapshot). */
async function refusedStart(checked: DataFolder, lines: string[] = []): Promise<unknown> {
  const refusal = await desk({ journalChecked: checked.journalChecked, log: createLogger({ write: (line) => lines.push(line) }) }).start().then(
    () => undefined,
    (e: unknown) => e,
  );
  checked.close({ clean: false });
  desks.splice(0);
  return refusal;
}

/** The refusal the check before the start gives. */
function refusalBeforeStart(): unknown {
  try {
    folder();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Turns of the event loop until `done` (the restore reads on the thread pool): never the wall clock. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

describe('the journal check beside the restore', () => {
  it('the desk restores meanwhile, writes and acts on nothing until the check answers, then starts', async () => {
    await journalWithACancelInDoubt();
    const before = fingerprint();
    expect(Object.keys(before)).not.toContain('desk.sqlite-wal');

    let answer!: () => void;
    const journalChecked = new Promise<void>((resolve) => (answer = resolve));
    const lines: string[] = [];
    const brokers = new Map<string, FakeBroker>();
    const second = desk({ journalChecked, journalSyncMs: 5, log: createLogger({ write: (line) => lines.push(line) }) }, brokers);
    let started = false;
    const starting = second.start().then(() => void (started = true));
    await until(() => lines.some((l) => l.includes('"journal replayed"')));
    clock.advance(60_000); // the summaries' and snapshots' timers, were any set
    await until(() => true);

    expect(started).toBe(false);
    expect(brokers.size, 'no broker connected').toBe(0);
    expect(await second.call('submitOrder', limitTicket)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const during = fingerprint();
    delete during['desk.sqlite-shm']; // SQLite's index of the WAL, not the journal
    expect(during, 'nothing written into the journal or its WAL').toEqual({ ...before, ...(during['desk.sqlite-wal'] !== undefined && { 'desk.sqlite-wal': createHash('sha256').update('').digest('hex') }) });

    answer();
    await starting;
    expect(brokers.get('SIM-A')?.state).toBe('loggedOn');
    // The start's own writes, after the answer: the cancel in doubt, the summaries caught up.
    expect(fingerprint()['desk.sqlite-wal']).not.toBe(createHash('sha256').update('').digest('hex'));
    expect(lines.some((l) => l.includes('"journal check answered"'))).toBe(true);
    expect((await second.call('submitOrder', limitTicket)).ok).toBe(true);
  });

  it('a journal damaged in pages the restore does not read: refused as before the start, the journal left as it was', async () => {
    const path = join(dir, 'desk.sqlite');
    await journalADeskStoppedOn(path);
    damageAnEventsPage(path);
    const before = fingerprint();

    const beside = folder({ checkBesideRestore: true });
    expect(beside.checkedWhole).toBe(true);
    const lines: string[] = [];
    const refusal = await refusedStart(beside, lines);
    expect(refusal).toBeInstanceOf(DataFolderRefusal);
    expect(lines.some((l) => l.includes('"journal replayed"')), 'the restore read no damaged page').toBe(true);
    expect(beside.refusalFor(refusal)).toBe(refusal);
    expect((refusal as DataFolderRefusal).exitCode).toBe(EXIT_JOURNAL_REFUSED);
    expect(fingerprint(), 'the journal, and no -wal or -shm, as before the attempt').toEqual(before);

    // The same message as the check before the start gives.
    const beforeStart = refusalBeforeStart();
    expect(beforeStart).toBeInstanceOf(DataFolderRefusal);
    expect((refusal as DataFolderRefusal).message).toBe((beforeStart as DataFolderRefusal).message);
    expect((refusal as DataFolderRefusal).message).toMatch(/is damaged: SQLite (cannot read it|'s quick_check found): /);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('a check thread that cannot run (a file missing from the install): an error logged, the journal checked on the desk thread instead', async () => {
    const path = join(dir, 'desk.sqlite');
    await journalADeskStoppedOn(path);
    const checkThread = new URL('./no-such-journal-worker.mjs', import.meta.url);

    // Sound: it starts, and says why its check took the desk's thread.
    const folderLines: string[] = [];
    const sound = folder({ checkBesideRestore: true, checkThread, log: createLogger({ write: (line) => folderLines.push(line) }) });
    const second = desk({ journalChecked: sound.journalChecked });
    await second.start();
    expect(folderLines.find((l) => l.includes('the journal check thread failed'))).toMatch(/"level":"error".*no-such-journal-worker/);
    // Its time is the check's own; the time until the desk heard it beside it.
    const checked = JSON.parse(folderLines.find((l) => l.includes('"journal checked"')) ?? '{}') as { ms?: number; answeredAfterMs?: number; besideRestore?: boolean };
    expect(checked).toMatchObject({ ms: expect.any(Number), answeredAfterMs: expect.any(Number), besideRestore: true });
    expect(checked.answeredAfterMs).toBeGreaterThanOrEqual(checked.ms ?? Number.POSITIVE_INFINITY);
    expect((await second.call('submitOrder', limitTicket)).ok).toBe(true);
    await second.stop();
    desks.splice(0);
    sound.close({ clean: true });

    // Damaged: refused with the message the check before the start gives, not the thread's failure.
    damageAnEventsPage(path);
    const refusal = await refusedStart(folder({ checkBesideRestore: true, checkThread }));
    expect(refusal).toBeInstanceOf(DataFolderRefusal);
    expect((refusal as DataFolderRefusal).message).toBe((refusalBeforeStart() as DataFolderRefusal).message);
    expect((refusal as DataFolderRefusal).message).not.toMatch(/thread|no-such-journal-worker/);
  });

  describe('a journal a kill left with a -wal', () => {
    const path = () => join(dir, 'desk.sqlite');
    /** The journal's main file and -wal, byte for byte; not the -shm: SQLite's index of the -wal, rebuilt from it by whichever connection opens first. */
    const journalBytes = () => {
      const all = fingerprint();
      return { main: all['desk.sqlite'], wal: all['desk.sqlite-wal'] };
    };

    it('the desk writes nothing into the journal or its -wal until the check answers, then starts with every event', async () => {
      await journalWithACancelInDoubt();
      appendThenKill(path(), 1, 50);
      const before = journalBytes();
      expect(before.wal).toBeDefined();

      let answer!: () => void;
      const journalChecked = new Promise<void>((resolve) => (answer = resolve));
      const lines: string[] = [];
      const brokers = new Map<string, FakeBroker>();
      let db!: Database.Database;
      const second = desk({ journalChecked, journalSyncMs: 5, log: createLogger({ write: (line) => lines.push(line) }), testOnlyJournalOpened: (opened) => (db = opened) }, brokers);
      let started = false;
      const starting = second.start().then(() => void (started = true));
      await until(() => lines.some((l) => l.includes('"journal replayed"')));
      clock.advance(60_000); // the summaries', snapshots' and checkpoints' timers, were any set
      await until(() => true);

      expect(started).toBe(false);
      expect(brokers.size, 'no broker connected').toBe(0);
      expect(journalBytes(), 'nothing written into the journal or its -wal, nothing checkpointed').toEqual(before);
      // The checkpoints' thread turns SQLite's own checkpoints off when it starts (sqlite/wal-checkpointer.ts).
      expect(db.pragma('wal_autocheckpoint', { simple: true }), 'no checkpoints\' thread before the check answers').toBe(1000);

      answer();
      await starting;
      expect(brokers.get('SIM-A')?.state).toBe('loggedOn');
      expect(db.pragma('wal_autocheckpoint', { simple: true }), 'the checkpoints\' thread, once it answered').toBe(0);
      expect(journalBytes().wal, 'the start writes once the check answered').not.toBe(before.wal);
      await second.stop();
      desks.splice(0);
      const clOrdIds = new Set<string>();
      const journal = new SqliteJournal(path());
      journal.replay((e) => void ('clOrdId' in e && clOrdIds.add(e.clOrdId)));
      journal.close();
      const lost = Array.from({ length: 50 }, (_, i) => `K${i + 1}`).filter((id) => !clOrdIds.has(id));
      expect(lost, 'events the killed process committed').toEqual([]);
    });

    it('damaged in pages the restore does not read: refused as before the start, the main file and -wal as they were', async () => {
      await journalADeskStoppedOn(path());
      appendThenKill(path(), 1, 100);
      damageAnEventsPage(path());
      const before = journalBytes();

      const beside = folder({ checkBesideRestore: true });
      const lines: string[] = [];
      const refusal = await refusedStart(beside, lines);
      expect(refusal).toBeInstanceOf(DataFolderRefusal);
      expect(lines.some((l) => l.includes('"journal replayed"')), 'the restore read no damaged page').toBe(true);
      expect((refusal as DataFolderRefusal).exitCode).toBe(EXIT_JOURNAL_REFUSED);
      expect(journalBytes(), 'the journal and its -wal as the kill left them').toEqual(before);

      const beforeStart = refusalBeforeStart();
      expect(beforeStart).toBeInstanceOf(DataFolderRefusal);
      expect((refusal as DataFolderRefusal).message).toBe((beforeStart as DataFolderRefusal).message);
      expect(journalBytes()).toEqual(before);
    });
  });
});
