import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { RunningJournalJob } from './journal-jobs';
import { runJournalJob } from './journal-jobs';
import type { MarkerRead } from './journal-marker';
import { MIGRATIONS } from '../journal/migrations';

/**
 * The check a journal passes before the desk opens it. SQLite's `PRAGMA quick_check` reads every
 * page and verifies the b-tree structure (not that indexes match their tables: that is the full
 * integrity_check, several times slower): about a second per GB. A start must not cost more as
 * history grows (ARCHITECTURE.md: the start-of-day roll), so a journal up to about a day's size
 * (`WHOLE_CHECK_UP_TO_BYTES`) is checked whole before the desk opens it; a bigger one only for what
 * the start reads (its header, meta, newest event; a damaged snapshot or event the start reads
 * refuses the start too, `isJournalDamageError`), and whole on a worker thread once the desk runs
 * (`checkWholeJournal`: the desk raises an alert if that finds damage). `wholeBesideRestore`: a
 * journal the desk's open writes nothing into (in WAL mode; at the current schema; tagged; stopped
 * cleanly or left with a -wal by a kill) gets only the big journal's part here, its whole check on a
 * worker thread while the desk restores, and the desk waits for it before it writes or acts
 * (open-data-folder.ts; a -wal is kept out of the file meanwhile: wal-hold.ts); any other is checked
 * whole here, before it is opened or migrated. What it cannot know comes from the data folder's marker
 * (journal-marker.ts): that a journal existed at all (a missing or 0-byte file is a valid empty
 * database to SQLite), which journal it was (its tag) and how far it went (its seq at the last
 * clean stop).
 */
export type JournalProblem = 'missing' | 'empty' | 'damaged' | 'foreign' | 'behind';

export type JournalCheck =
  | { readonly status: 'absent' }
  /**
   * `whole`: quick_check read every page; else `besideRestore`: it is to read them on a worker while
   * the desk restores (`checkWholeJournal`), before the desk writes; else the file is above
   * `wholeUpToBytes`: check it in the background once the desk runs.
   */
  | { readonly status: 'ok'; readonly tag: string | undefined; readonly lastSeq: number; readonly checkMs: number; readonly whole: boolean; readonly besideRestore: boolean }
  | { readonly status: 'refused'; readonly problem: JournalProblem; readonly detail: string };

export interface JournalFacts {
  readonly tag: string | undefined;
  readonly lastSeq: number;
  readonly lastEventAt: string | undefined;
}

/** Memory-mapped reads: quick_check of a 850 MB journal (1M events) took ~0.9 s this way, ~1.5 s through the page cache. */
const CHECK_MMAP_BYTES = 1 << 30;
const MAX_REPORTED_ERRORS = 5;
/** About a day's journal (1,000,000 events are ~850 MB): checked whole at start in about a second. */
export const WHOLE_CHECK_UP_TO_BYTES = 1 << 30;
const LATEST_SCHEMA = MIGRATIONS.at(-1)?.version ?? 0;

export interface CheckOptions {
  readonly wholeUpToBytes?: number;
  /** Leave the whole check of a journal the desk's open does not write to run beside the restore (the hosts); default: here. */
  readonly wholeBesideRestore?: boolean;
}

export function checkJournal(journalPath: string, marker: MarkerRead, options: CheckOptions = {}): JournalCheck {
  const size = fileSize(journalPath);
  const walSize = fileSize(`${journalPath}-wal`) ?? 0;
  if (size === undefined) {
    if (marker.present) return refused('missing', 'the file is not there, although this data folder had a journal (desk.journal.json says so)');
    if (walSize > 0) return refused('missing', `the file is not there, but its write-ahead log (${walSize} bytes) is`);
    return { status: 'absent' };
  }
  if (size === 0) {
    if (marker.present) {
      const seq = marker.marker === undefined ? '' : ` (it had events up to seq ${marker.marker.lastSeq})`;
      return refused('empty', `the file is empty (0 bytes), although this data folder had a journal${seq}`);
    }
    if (walSize > 0) return refused('damaged', `the file is empty (0 bytes), but its write-ahead log has ${walSize} bytes`);
    return { status: 'absent' };
  }

  // A file cut short of a whole page was truncated, whatever page it cut (a free page or a snapshot
  // block is something quick_check does not read as damage).
  const header = headerOf(journalPath);
  const pageSize = header?.pageSize;
  if (pageSize !== undefined && size % pageSize !== 0) return refused('damaged', `it is ${size} bytes, not a whole number of ${pageSize}-byte pages: the file was cut short`);

  const t0 = performance.now();
  const shmExisted = fileSize(`${journalPath}-shm`) !== undefined;
  const walExisted = fileSize(`${journalPath}-wal`) !== undefined;
  const inSize = size + walSize <= (options.wholeUpToBytes ?? WHOLE_CHECK_UP_TO_BYTES);
  const mayWait = inSize && options.wholeBesideRestore === true && header?.wal === true;
  let whole = inSize && !mayWait;
  let facts: JournalFacts | undefined;
  let db: Database.Database | undefined;
  try {
    // Read-only: SQLite checkpoints a -wal (what a kill leaves) into the file when the last connection
    // closes, unless that connection is read-only; a refused journal must stay as it was.
    db = new Database(journalPath, { readonly: true, fileMustExist: true, timeout: 5_000 });
    // Not migrated yet, or no tag (the open would write them), or not a journal: checked whole now.
    if (mayWait && !(db.pragma('user_version', { simple: true }) === LATEST_SCHEMA && readJournalFacts(db)?.tag !== undefined)) whole = true;
    if (whole) {
      const findings = quickCheck(db);
      if (!isSound(findings)) return refused('damaged', `SQLite's quick_check found: ${describeFindings(findings)}`);
    }
    facts = readJournalFacts(db);
  } catch (e) {
    return refused('damaged', `SQLite cannot read it: ${(e as Error).message} (${(e as { code?: string }).code ?? 'error'})`);
  } finally {
    closeQuietly(db);
    // Opening a WAL journal creates an empty -wal and a -shm, which a read-only close leaves behind:
    // the check leaves the folder as it found it.
    if (!walExisted && fileSize(`${journalPath}-wal`) === 0) {
      rmSync(`${journalPath}-wal`, { force: true });
      if (!shmExisted) rmSync(`${journalPath}-shm`, { force: true });
    }
  }
  const checkMs = Math.round(performance.now() - t0);

  const expected = marker.present ? marker.marker : undefined;
  if (marker.present && facts === undefined) return refused('foreign', 'the file is an SQLite database, but not a desk journal (no events table)');
  if (expected !== undefined && expected.tag !== null && facts?.tag !== expected.tag) {
    return refused('foreign', `its tag is ${facts?.tag ?? '(none)'}, but this data folder's journal was ${expected.tag}`);
  }
  if (expected !== undefined && facts !== undefined && facts.lastSeq < expected.lastSeq) {
    return refused(
      'behind',
      `its newest event is seq ${facts.lastSeq}, but it had seq ${expected.lastSeq} at its last clean stop${expected.lastSeqAt ? ` (${expected.lastSeqAt})` : ''}: events are missing`,
    );
  }
  return { status: 'ok', tag: facts?.tag, lastSeq: facts?.lastSeq ?? 0, checkMs, whole, besideRestore: inSize && !whole };
}

/** SQLite's quick_check of every page, read memory-mapped (journal-worker.mjs does the same on its thread). */
function quickCheck(db: Database.Database): string[] {
  db.pragma(`mmap_size = ${CHECK_MMAP_BYTES}`);
  return (db.pragma(`quick_check(${MAX_REPORTED_ERRORS})`) as Array<{ quick_check: string }>).map((r) => r.quick_check);
}

/** quick_check's answer for a sound file. */
export function isSound(findings: readonly string[]): boolean {
  return findings.length === 1 && findings[0] === 'ok';
}

export function describeFindings(findings: readonly string[]): string {
  return findings.join('; ').slice(0, 600);
}

/**
 * quick_check of the whole journal on a worker thread, on a connection of its own (the desk keeps
 * writing: it reads one consistent state): the check a journal too big to check at start gets once
 * the desk runs. Its result is quick_check's findings (`isSound`).
 */
export function checkWholeJournal(journalPath: string, thread?: URL): RunningJournalJob<{ readonly findings: readonly string[]; readonly raised?: boolean; readonly ms: number }> {
  return runJournalJob({ job: 'check', path: journalPath, maxFindings: MAX_REPORTED_ERRORS }, thread);
}

/**
 * The same check on this thread (when its own thread cannot run): read-only, so its close
 * checkpoints no -wal into the file; damage SQLite raises as an error is a finding too.
 */
export function checkWholeJournalHere(journalPath: string): { readonly findings: readonly string[]; readonly raised?: boolean; readonly ms: number } {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  let db: Database.Database | undefined;
  try {
    db = new Database(journalPath, { readonly: true, fileMustExist: true, timeout: 5_000 });
    return { findings: quickCheck(db), ms: ms() };
  } catch (e) {
    if (!isJournalDamageError(e)) throw e;
    return { findings: [`${e.message} (${(e as { code?: string }).code ?? 'error'})`], raised: true, ms: ms() };
  } finally {
    closeQuietly(db);
  }
}

/** The journal's tag and newest event, or undefined when the database is not a desk journal (yet). */
export function readJournalFacts(db: Database.Database): JournalFacts | undefined {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  if (!tables.has('events') || !tables.has('meta')) return undefined;
  const tag = db.prepare("SELECT value FROM meta WHERE key = 'journal_tag'").pluck().get() as string | undefined;
  const newest = db.prepare('SELECT seq, at FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; at: string } | undefined;
  return { tag, lastSeq: newest?.seq ?? 0, lastEventAt: newest?.at };
}

/** Opens a journal file just long enough to read its facts (after the desk stopped, or to name a backup). */
export function journalFactsOf(path: string): JournalFacts | undefined {
  const db = new Database(path, { fileMustExist: true, timeout: 5_000 });
  try {
    return readJournalFacts(db);
  } finally {
    db.close();
  }
}

/** An error SQLite raises on a damaged file, met after the check (a page the check did not cover, damage since). */
export function isJournalDamageError(e: unknown): e is Error {
  const code = (e as { code?: unknown } | undefined)?.code;
  return e instanceof Error && typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** A connection to a damaged file may fail to close (its checkpoint reads the damage): the check's finding is what counts. */
function closeQuietly(db: Database.Database | undefined): void {
  try {
    db?.close();
  } catch {
    // already reported by the check
  }
}

/**
 * What an SQLite database file's header declares: its page size (bytes 16–17, big-endian; 1 means
 * 65,536) and whether it is in WAL mode (bytes 18–19 are 2: the desk's `journal_mode = WAL` would
 * rewrite them otherwise); undefined when it has no SQLite header.
 */
function headerOf(path: string): { readonly pageSize: number; readonly wal: boolean } | undefined {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 100, 0) < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return undefined;
  } finally {
    closeSync(fd);
  }
  const declared = header.readUInt16BE(16);
  return { pageSize: declared === 1 ? 65_536 : declared, wal: header[18] === 2 && header[19] === 2 };
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function refused(problem: JournalProblem, detail: string): JournalCheck {
  return { status: 'refused', problem, detail };
}
