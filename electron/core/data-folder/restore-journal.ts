import { copyFileSync, constants, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../time/clock';
import { acquireDataFolderLock } from './data-folder-lock';
import { readJournalFacts } from './journal-integrity';
import { JOURNAL_FILE, readJournalMarker, writeJournalMarker } from './journal-marker';
import { setJournalAside } from './open-data-folder';
import { ensurePrivateDir, makePrivate, syncFolder } from './private-files';

/**
 * Puts a backup in place of a data folder's journal (`npm run restore`). The backup is copied into
 * the folder and checked there (quick_check, a desk journal) before anything is replaced; the
 * journal it replaces is kept aside with its -wal and -shm. Refused while a desk runs on the folder
 * (its lock). The restored journal loses its tag, so the desk gives it a new one at its next start:
 * ClOrdIDs sent after the backup was taken are never sent again.
 */
export class RestoreError extends Error {
  override readonly name = 'RestoreError';
}

export interface RestoreResult {
  readonly journalPath: string;
  readonly seq: number;
  readonly lastEventAt: string | undefined;
  /** The journal that was replaced, kept aside; undefined when there was none. */
  readonly replacedKeptAs: string | undefined;
}

export function restoreJournal(options: { readonly from: string; readonly dataDir: string; readonly clock: Clock }): RestoreResult {
  const { from, dataDir, clock } = options;
  if (!existsSync(from) || !statSync(from).isFile()) throw new RestoreError(`no backup file at ${from}`);
  if (statSync(from).size === 0) throw new RestoreError(`${from} is empty (0 bytes): not a backup`);
  if (existsSync(`${from}-wal`) && statSync(`${from}-wal`).size > 0) {
    throw new RestoreError(`${from} has a write-ahead log beside it (${from}-wal): it is a live journal, not a backup. Stop the desk that uses it, or restore a backup file`);
  }
  ensurePrivateDir(dataDir);
  const lock = acquireDataFolderLock(dataDir, 'restore', clock);
  const journalPath = join(dataDir, JOURNAL_FILE);
  const incoming = `${journalPath}.restoring`;
  try {
    rmSync(incoming, { force: true });
    copyFileSync(from, incoming, constants.COPYFILE_EXCL);
    makePrivate(incoming);
    const facts = verifyAndRetag(incoming, from);
    const replacedKeptAs = existsSync(journalPath) || existsSync(`${journalPath}-wal`) ? setJournalAside(journalPath, clock, 'replaced') : undefined;
    renameSync(incoming, journalPath);
    syncFolder(dataDir);
    const now = clock.now().toISOString();
    const previous = readJournalMarker(dataDir);
    const backupDir = previous.present ? previous.marker?.backupDir : undefined;
    writeJournalMarker(dataDir, {
      tag: null,
      createdAt: now,
      lastSeq: facts.seq,
      lastSeqAt: now,
      restoredFrom: from,
      ...(backupDir !== undefined && { backupDir }),
    });
    return { journalPath, seq: facts.seq, lastEventAt: facts.lastEventAt, replacedKeptAs };
  } finally {
    rmSync(incoming, { force: true });
    rmSync(`${incoming}-journal`, { force: true });
    lock.release();
  }
}

function verifyAndRetag(path: string, from: string): { seq: number; lastEventAt: string | undefined } {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (e) {
    throw new RestoreError(`${from} cannot be opened: ${(e as Error).message}`);
  }
  try {
    let findings: string[];
    try {
      findings = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    } catch (e) {
      throw new RestoreError(`${from} is not a usable journal: ${(e as Error).message}`);
    }
    if (findings.length !== 1 || findings[0] !== 'ok') throw new RestoreError(`${from} is damaged (quick_check: ${findings.join('; ').slice(0, 400)})`);
    const facts = readJournalFacts(db);
    if (facts === undefined) throw new RestoreError(`${from} is an SQLite database but not a desk journal (no events table)`);
    db.pragma('journal_mode = DELETE');
    db.prepare("DELETE FROM meta WHERE key = 'journal_tag'").run();
    return { seq: facts.lastSeq, lastEventAt: facts.lastEventAt };
  } finally {
    db.close();
  }
}

/** What a person needs to know after a restore. */
export function restoreSummary(from: string, result: RestoreResult): string {
  return [
    `Restored ${from} into ${result.journalPath} (events up to seq ${result.seq}${result.lastEventAt ? `, the last at ${result.lastEventAt}` : ''}).`,
    result.replacedKeptAs === undefined ? 'There was no journal to replace.' : `The journal it replaced is kept as ${result.replacedKeptAs}.`,
    'At its next start the desk gives this journal a new ClOrdID prefix, and asks each broker for the status of its orders at logon:',
    "orders and fills after the backup come back from the brokers. The FIX sequence numbers are the backup's: if a broker refuses",
    'the logon (MsgSeqNum too low), agree the next numbers with it and set them in the session monitor.',
  ].join('\n');
}
