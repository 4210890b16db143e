import type Database from 'better-sqlite3';

/**
 * Runs `fn` with every write on `db` inside one transaction, committed when `fn` returns or throws:
 * what was written before a throw was already acted on in memory, so it is kept, not rolled back.
 * Inside a transaction already open, `fn` joins it.
 */
export function commitBatch<T>(db: Database.Database, fn: () => T): T {
  if (db.inTransaction) return fn();
  db.exec('BEGIN');
  try {
    return fn();
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}
