import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../journal/desk-events';
import { SqliteJournal } from '../journal/sqlite-journal';
import { silentLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import { DataFolderInUseError, acquireDataFolderLock } from './data-folder-lock';
import type { JournalMarker } from './journal-marker';
import type { DataFolder, DataFolderOptions } from './open-data-folder';
import { DataFolderRefusal, EXIT_DATA_FOLDER_IN_USE, EXIT_JOURNAL_REFUSED, openDataFolder } from './open-data-folder';

const dirs: string[] = [];
const folders: DataFolder[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) f.close({ clean: false });
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const clock = new TestClock('2026-12-07T09:00:00.000Z');
const event = (n: number): DeskEvent => ({ type: 'cancelRequested', at: '2026-12-07T09:00:00Z', orderId: `O${n}`, clOrdId: `C${n}`, origClOrdId: 'X' });

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-folder-test-'));
  dirs.push(dir);
  return join(dir, 'data');
}

function open(dir: string, extra: Partial<DataFolderOptions> = {}): DataFolder {
  const folder = openDataFolder({
    dataDir: dir,
    host: 'headless',
    clock,
    log: silentLogger,
    commands: { restore: (b) => `restore ${b}`, newJournal: 'start --new-journal' },
    ...extra,
  });
  folders.push(folder);
  return folder;
}

/** What a host does: open the folder, run a desk on the journal (here: append events), stop cleanly. */
function runDesk(dir: string, events: number): void {
  const folder = open(dir);
  const journal = new SqliteJournal(folder.journalPath, { syncIntervalMs: 0 });
  folder.journalStarted();
  for (let i = 0; i < events; i++) journal.append(event(i));
  journal.close();
  folder.close({ clean: true });
}

const markerOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'desk.journal.json'), 'utf8')) as JournalMarker;

describe('openDataFolder', () => {
  it('remembers the journal: its tag when the desk started, its newest seq at a clean stop', () => {
    const dir = dataDir();
    runDesk(dir, 3);
    const first = markerOf(dir);
    expect(first).toMatchObject({ tag: expect.stringMatching(/^[0-9A-Z]{5}$/), lastSeq: 3, lastSeqAt: '2026-12-07T09:00:00.000Z' });
    runDesk(dir, 2);
    expect(markerOf(dir)).toMatchObject({ tag: first.tag, lastSeq: 5, createdAt: first.createdAt });
  });

  it('a stop that was not clean leaves the newest seq as it was', () => {
    const dir = dataDir();
    runDesk(dir, 3);
    const folder = open(dir);
    const journal = new SqliteJournal(folder.journalPath, { syncIntervalMs: 0 });
    journal.append(event(9));
    journal.close();
    folder.close({ clean: false });
    expect(markerOf(dir).lastSeq).toBe(3);
  });

  it('one desk at a time: a second open in the folder is refused with exit code 4 and the first one named', () => {
    const dir = dataDir();
    const first = open(dir);
    const second = (() => {
      try {
        open(dir, { host: 'electron' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(second).toBeInstanceOf(DataFolderRefusal);
    expect((second as DataFolderRefusal).exitCode).toBe(EXIT_DATA_FOLDER_IN_USE);
    expect((second as DataFolderRefusal).message).toContain(`in use by the headless host (npm run serve) with PID ${process.pid}`);
    expect(() => acquireDataFolderLock(dir, 'restore', clock)).toThrow(DataFolderInUseError);
    // The refused attempts did not take the first desk's lock away.
    expect(() => acquireDataFolderLock(dir, 'restore', clock)).toThrow(DataFolderInUseError);
    first.close({ clean: false });
    expect(existsSync(join(dir, 'desk.lock.json'))).toBe(false);
    open(dir).close({ clean: false });
  });

  it('a damaged journal is refused with the way out; --new-journal sets it aside, and is ignored on a journal that is fine', () => {
    const dir = dataDir();
    runDesk(dir, 50);
    truncateSync(join(dir, 'desk.sqlite'), 0);
    let refusal: unknown;
    try {
      open(dir);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(DataFolderRefusal);
    expect((refusal as DataFolderRefusal).exitCode).toBe(EXIT_JOURNAL_REFUSED);
    expect((refusal as DataFolderRefusal).message).toBe(
      [
        `Meridian Desk will not start: the journal ${join(dir, 'desk.sqlite')} is empty: the file is empty (0 bytes), although this data folder had a journal (it had events up to seq 50).`,
        'Nothing was changed. Either',
        '  - restore a backup (it is checked before it replaces anything; the journal here is kept aside):',
        '      restore <backup file>',
        '      (no backup found)',
        '  - or start with a new, empty journal (the one here is kept aside; reset the sequence numbers with your brokers too):',
        '      start --new-journal',
      ].join('\n'),
    );
    // The lock was released with the refusal.
    const folder = open(dir, { newJournal: true });
    expect(readdirSync(dir).filter((f) => f.startsWith('desk.sqlite.damaged-'))).toEqual(['desk.sqlite.damaged-20261207T090000000Z']);
    expect(existsSync(join(dir, 'desk.journal.json'))).toBe(false);
    folder.close({ clean: false });
    runDesk(dir, 1);
    open(dir, { newJournal: true }).close({ clean: false });
    expect(readdirSync(dir).filter((f) => f.startsWith('desk.sqlite.damaged-'))).toHaveLength(1);
  });

  it('an error of a damaged file met after the check gets the same refusal', () => {
    const dir = dataDir();
    const folder = open(dir);
    const refusal = folder.refusalFor(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }));
    expect(refusal?.exitCode).toBe(EXIT_JOURNAL_REFUSED);
    expect(refusal?.message).toMatch(/^Meridian Desk will not start: the journal .* is damaged: SQLite failed while reading it: database disk image is malformed\./);
    expect(folder.refusalFor(new Error('something else'))).toBeUndefined();
  });
});
