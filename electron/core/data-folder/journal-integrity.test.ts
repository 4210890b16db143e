import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../journal/desk-events';
import { SqliteJournal } from '../journal/sqlite-journal';
import { checkJournal, checkWholeJournal, describeFindings, isJournalDamageError, isSound, journalFactsOf } from './journal-integrity';
import { damageAnEventsPage } from './journal-integrity.test-support';
import { appendThenKill } from './killed-journal.test-support';
import type { JournalMarker, MarkerRead } from './journal-marker';

const dirs: string[] = [];
function journalPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'integrity-test-'));
  dirs.push(dir);
  return join(dir, 'desk.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const event = (n: number): DeskEvent => ({ type: 'cancelRequested', at: `2026-11-27T10:00:0${n % 10}Z`, orderId: 'O1', clOrdId: `C${n}`, origClOrdId: 'X' });

/** A closed journal with `events` events; returns its tag. */
function writeJournal(path: string, events: number): string {
  const journal = new SqliteJournal(path);
  for (let i = 1; i <= events; i++) journal.append(event(i));
  journal.close();
  return journalFactsOf(path)!.tag!;
}

const hashOf = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const NO_MARKER: MarkerRead = { present: false };
const marker = (m: Partial<JournalMarker>): MarkerRead => ({ present: true, marker: { tag: null, createdAt: '2026-11-27T09:00:00.000Z', lastSeq: 0, lastSeqAt: null, ...m } });

describe('checkJournal', () => {
  it('a folder with no journal and no memory of one: absent (a new journal is made)', () => {
    const path = journalPath();
    expect(checkJournal(path, NO_MARKER)).toEqual({ status: 'absent' });
    writeFileSync(path, ''); // a desk killed right after SQLite created the file
    expect(checkJournal(path, NO_MARKER)).toEqual({ status: 'absent' });
  });

  it('a journal the folder remembers, gone or emptied: refused', () => {
    const path = journalPath();
    expect(checkJournal(path, marker({ tag: 'ABCDE', lastSeq: 12 }))).toMatchObject({ status: 'refused', problem: 'missing' });
    expect(checkJournal(path, { present: true, marker: undefined })).toMatchObject({ status: 'refused', problem: 'missing' });
    writeFileSync(path, '');
    expect(checkJournal(path, marker({ tag: 'ABCDE', lastSeq: 12 }))).toEqual({
      status: 'refused',
      problem: 'empty',
      detail: 'the file is empty (0 bytes), although this data folder had a journal (it had events up to seq 12)',
    });
  });

  it('a write-ahead log without its journal is remembered too, marker or not', () => {
    const path = journalPath();
    writeFileSync(`${path}-wal`, 'x'.repeat(100));
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'refused', problem: 'missing' });
    writeFileSync(path, '');
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'refused', problem: 'damaged', detail: expect.stringContaining('write-ahead log has 100 bytes') });
  });

  it('a whole journal passes, with its tag and newest seq', () => {
    const path = journalPath();
    const tag = writeJournal(path, 5);
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'ok', tag, lastSeq: 5 });
    expect(checkJournal(path, marker({ tag, lastSeq: 5 }))).toMatchObject({ status: 'ok', tag, lastSeq: 5 });
    // After a restore the marker has no tag yet: any journal tag is the one.
    expect(checkJournal(path, marker({ tag: null, lastSeq: 3 }))).toMatchObject({ status: 'ok' });
  });

  it('another journal in its place, or one behind its last clean stop: refused', () => {
    const path = journalPath();
    const tag = writeJournal(path, 5);
    expect(checkJournal(path, marker({ tag: 'OTHER', lastSeq: 5 }))).toEqual({
      status: 'refused',
      problem: 'foreign',
      detail: `its tag is ${tag}, but this data folder's journal was OTHER`,
    });
    expect(checkJournal(path, marker({ tag, lastSeq: 9, lastSeqAt: '2026-11-27T17:00:00.000Z' }))).toEqual({
      status: 'refused',
      problem: 'behind',
      detail: 'its newest event is seq 5, but it had seq 9 at its last clean stop (2026-11-27T17:00:00.000Z): events are missing',
    });
  });

  it('an SQLite file that is not a journal, where the folder had one: refused', () => {
    const path = journalPath();
    const db = new Database(path);
    db.exec('CREATE TABLE notes (text)');
    db.close();
    expect(checkJournal(path, marker({ tag: 'ABCDE' }))).toMatchObject({ status: 'refused', problem: 'foreign', detail: expect.stringContaining('not a desk journal') });
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'ok', tag: undefined, lastSeq: 0 });
  });

  it('damage: refused with what SQLite found, and the folder left as it was', () => {
    const path = journalPath();
    writeJournal(path, 200);
    truncateSync(path, 4096 * 3);
    const check = checkJournal(path, NO_MARKER);
    expect(check).toMatchObject({ status: 'refused', problem: 'damaged' });
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`)], 'no -wal or -shm left behind').toEqual([false, false]);
    writeFileSync(path, 'this is not an SQLite file at all, just text that is long enough to be read');
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'refused', problem: 'damaged', detail: expect.stringContaining('SQLITE_NOTADB') });
  });
  it('a file cut short of a whole page: refused, whatever page it cut', () => {
    const path = journalPath();
    writeJournal(path, 20);
    const db = new Database(path, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    truncateSync(path, pageSize * 3 + 100);
    expect(checkJournal(path, NO_MARKER)).toEqual({ status: 'refused', problem: 'damaged', detail: `it is ${pageSize * 3 + 100} bytes, not a whole number of ${pageSize}-byte pages: the file was cut short` });
  });

  it('a journal bigger than a day’s: checked before the start for what the start reads, and whole on a worker thread', async () => {
    const path = journalPath();
    writeJournal(path, 3_000);
    const sound = await checkWholeJournal(path).result;
    expect(isSound(sound.findings)).toBe(true);
    damageAnEventsPage(path);
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'refused', problem: 'damaged' });
    const size = statSync(path).size;
    expect(checkJournal(path, NO_MARKER, { wholeUpToBytes: size - 1 })).toMatchObject({ status: 'ok', whole: false, lastSeq: 3_000 });
    expect(checkJournal(path, NO_MARKER, { wholeUpToBytes: size })).toMatchObject({ status: 'refused', problem: 'damaged' });
    const { findings } = await checkWholeJournal(path).result;
    expect(isSound(findings)).toBe(false);
    expect(describeFindings(findings)).toMatch(/malformed|page/);
  });
});

describe('checkJournal, the whole check beside the restore', () => {
  it('left to the worker only for a journal the open writes nothing into: stopped cleanly, in WAL mode, migrated, tagged', () => {
    const path = journalPath();
    writeJournal(path, 200);
    const beside = { wholeBesideRestore: true };
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'ok', whole: true, besideRestore: false });
    expect(checkJournal(path, NO_MARKER, beside)).toMatchObject({ status: 'ok', whole: false, besideRestore: true, lastSeq: 200 });
    // Damage the cheap part does not read: found by the worker, not here.
    damageAnEventsPage(path);
    expect(checkJournal(path, NO_MARKER, beside)).toMatchObject({ status: 'ok', besideRestore: true });
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'refused', problem: 'damaged' });

    const older = journalPath();
    writeJournal(older, 20);
    const db = new Database(older);
    db.pragma('user_version = 1'); // the desk's open would migrate it
    db.close();
    expect(checkJournal(older, NO_MARKER, beside)).toMatchObject({ status: 'ok', whole: true, besideRestore: false });

    const killed = journalPath();
    writeJournal(killed, 20);
    appendThenKill(killed, 1, 5); // a desk killed: a -wal (kept out of the file meanwhile: wal-hold.ts)
    expect(checkJournal(killed, NO_MARKER, beside)).toMatchObject({ status: 'ok', whole: false, besideRestore: true, lastSeq: 25 });

    const rollback = journalPath();
    writeJournal(rollback, 20);
    const copy = new Database(rollback);
    copy.pragma('journal_mode = DELETE'); // a restored backup: the open would rewrite its header
    copy.close();
    expect(checkJournal(rollback, NO_MARKER, beside)).toMatchObject({ status: 'ok', whole: true, besideRestore: false });
  });
});

describe('checkJournal, a journal a kill left with a -wal', () => {
  /** The main file and the -wal, byte for byte; not the -shm: SQLite's index of the -wal, rebuilt from it by any connection. */
  const bytes = (path: string) => ({ main: hashOf(path), wal: hashOf(`${path}-wal`) });

  it('damaged: refused by the check here, and the check beside the restore finds it; neither moves the -wal into the file', async () => {
    const path = journalPath();
    writeJournal(path, 3_000);
    appendThenKill(path, 1, 100);
    damageAnEventsPage(path);
    const before = bytes(path);
    expect(checkJournal(path, NO_MARKER)).toMatchObject({ status: 'refused', problem: 'damaged' });
    expect(bytes(path), 'the check before the open').toEqual(before);
    expect(checkJournal(path, NO_MARKER, { wholeBesideRestore: true })).toMatchObject({ status: 'ok', besideRestore: true, lastSeq: 3_100 });
    expect(bytes(path), 'the cheap part before the open').toEqual(before);
    const { findings } = await checkWholeJournal(path).result;
    expect(isSound(findings)).toBe(false);
    expect(bytes(path), 'the whole check on its thread, the only connection').toEqual(before);
  });
});

describe('isJournalDamageError', () => {
  it('knows the errors of a damaged file and nothing else', () => {
    const error = (code: string) => Object.assign(new Error('x'), { code });
    expect(isJournalDamageError(error('SQLITE_CORRUPT'))).toBe(true);
    expect(isJournalDamageError(error('SQLITE_CORRUPT_INDEX'))).toBe(true);
    expect(isJournalDamageError(error('SQLITE_NOTADB'))).toBe(true);
    expect(isJournalDamageError(error('SQLITE_BUSY'))).toBe(false);
    expect(isJournalDamageError(new Error('database disk image is malformed'))).toBe(false);
    expect(isJournalDamageError(undefined)).toBe(false);
  });
});
