import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileAtomic } from './private-files';

/**
 * The data folder's memory of its journal (`desk.journal.json`), kept apart from the journal so
 * that a journal gone missing, emptied or swapped is noticed: SQLite alone would take a 0-byte
 * file for a new, empty database and the desk would start with no orders and no warning.
 */
export const JOURNAL_FILE = 'desk.sqlite';
export const MARKER_FILE = 'desk.journal.json';

export interface JournalMarker {
  /** The journal's tag (the ClOrdID prefix); null after a restore, until the desk gives the restored journal a new one. */
  readonly tag: string | null;
  readonly createdAt: string;
  /** The newest event seq the journal had at its last clean stop (or restore): it never has fewer. */
  readonly lastSeq: number;
  readonly lastSeqAt: string | null;
  /** Where the newest backup went, for the message a damaged journal gets. */
  readonly backupDir?: string;
  readonly restoredFrom?: string;
}

export type MarkerRead = { readonly present: false } | { readonly present: true; readonly marker: JournalMarker | undefined };

/** `marker` is undefined when the file exists but cannot be read: the folder had a journal, the rest is unknown. */
export function readJournalMarker(dataDir: string): MarkerRead {
  let text: string;
  try {
    text = readFileSync(join(dataDir, MARKER_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { present: false };
    return { present: true, marker: undefined };
  }
  try {
    const value = JSON.parse(text) as Partial<JournalMarker>;
    const valid =
      (value.tag === null || typeof value.tag === 'string') &&
      typeof value.createdAt === 'string' &&
      typeof value.lastSeq === 'number' &&
      Number.isSafeInteger(value.lastSeq) &&
      value.lastSeq >= 0;
    return { present: true, marker: valid ? (value as JournalMarker) : undefined };
  } catch {
    return { present: true, marker: undefined };
  }
}

export function writeJournalMarker(dataDir: string, marker: JournalMarker): void {
  writePrivateFileAtomic(join(dataDir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
}

export function removeJournalMarker(dataDir: string): void {
  rmSync(join(dataDir, MARKER_FILE), { force: true });
}
