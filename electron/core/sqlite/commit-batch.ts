import type Database from 'better-sqlite3';

/** Per database: what waits for the open batch to commit. */
const waiting = new WeakMap<Database.Database, Array<() => void>>();

/**
 * Runs `fn` with every write on `db` inside one transaction, committed when `fn` returns or throws:
 * what was written before a throw was already acted on in memory, so it is kept, not rolled back.
 * Inside a batch already open, `fn` joins it. What `afterCommit` queued runs after the commit.
 */
export function commitBatch<T>(db: Database.Database, fn: () => T): T {
  if (waiting.has(db) || db.inTransaction) return fn();
  const queued: Array<() => void> = [];
  waiting.set(db, queued);
  db.exec('BEGIN');
  let committed = false;
  try {
    return fn();
  } finally {
    try {
      if (db.inTransaction) db.exec('COMMIT');
      committed = true;
    } finally {
      waiting.delete(db);
    }
    if (committed) runAll(queued);
  }
}

/**
 * Runs `fn` once everything written on `db` so far is committed: when the open batch commits, or
 * now when none is open. The write-ahead rule for whatever leaves the process (a socket write, a
 * delta to the screens). If the commit fails, `fn` never runs.
 */
export function afterCommit(db: Database.Database, fn: () => void): void {
  const queued = waiting.get(db);
  if (queued !== undefined) queued.push(fn);
  else fn();
}

/** Every callback runs even if one throws; the first error is rethrown after. */
function runAll(queued: ReadonlyArray<() => void>): void {
  let first: unknown;
  let failed = false;
  for (let i = 0; i < queued.length; i++) {
    try {
      queued[i]!();
    } catch (error) {
      if (!failed) first = error;
      failed = true;
    }
  }
  if (failed) throw first;
}
