import Database from 'better-sqlite3';

/**
 * Keeps a journal's -wal out of its main file while the journal's check runs beside the restore.
 * SQLite checkpoints the WAL into the main file (and deletes it) when the last connection closes,
 * unless that connection is read-only. A kill leaves a -wal; the desk's connection, closed at a
 * refusal, would be the last and so change the refused journal. This read-only connection, open
 * from before the desk's until after its close, means the desk's close is never the last, and its
 * own close checkpoints nothing. It must have read once: a connection takes its lock on the file
 * (which tells SQLite it is not the last) at its first read, and keeps it in WAL mode.
 */
export interface WalHold {
  /** Closes the connection (idempotent). Only once the desk's connection is closed, or known to be allowed to write. */
  release(): void;
}

export function holdWal(journalPath: string): WalHold {
  const db = new Database(journalPath, { readonly: true, fileMustExist: true, timeout: 5_000 });
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  } catch (e) {
    db.close();
    throw e;
  }
  return {
    release() {
      if (db.open) db.close();
    },
  };
}
