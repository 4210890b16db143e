import type Database from 'better-sqlite3';

/**
 * The unit of work: the one transaction a socket read or a command runs in, opened by whoever owns
 * the database (the desk, for the journal's; a FIX session store, for a file of its own), and what
 * waits for its commit (a socket write, a delta to the screens).
 */
export interface UnitOfWork {
  /** Runs `fn` in one transaction (joining one already open), committed when `fn` returns or throws. */
  batch<T>(fn: () => T): T;
  /**
   * Runs `fn` once everything written so far is committed: at the end of the open batch, or now.
   * If that commit fails (a full disk), `fn` never runs and `onFail` does.
   */
  afterCommit(fn: () => void, onFail?: () => void): void;
}

interface Waiting {
  readonly fn: () => void;
  readonly onFail: (() => void) | undefined;
}

/** Per database: what waits for the open batch to commit. */
const waiting = new WeakMap<Database.Database, Waiting[]>();

/** Per database: what writes once into the open batch, just before its COMMIT (see `beforeCommit`). */
const finishing = new WeakMap<Database.Database, Array<() => void>>();

/**
 * Per database: the storage error that dooms the open batch. SQLite undoes only the statement that
 * hit a full disk (SQLITE_FULL inside an INSERT, where the page limit or a cache spill fails), and
 * whoever called it may have caught it: the batch is rolled back whole at its end, as a failed COMMIT.
 */
const doomed = new WeakMap<Database.Database, unknown>();

/** SQLite refused a write for want of space or of a working disk. */
export function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN');
}

/** Per database: who must hear that a commit failed (what they hold in memory was not stored). */
const failureListeners = new WeakMap<Database.Database, Set<(error: unknown) => void>>();

/**
 * Hears every failed commit on `db` (SQLITE_FULL, an I/O error): the transaction is rolled back,
 * nothing of it is stored, so whatever mirrors the database in memory must be read back from it.
 * Returns the way to stop listening.
 */
export function onCommitFailed(db: Database.Database, listener: (error: unknown) => void): () => void {
  let listeners = failureListeners.get(db);
  if (listeners === undefined) failureListeners.set(db, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Runs `fn` with every write on `db` inside one transaction, committed when `fn` returns or throws:
 * what was written before a throw was already acted on in memory, so it is kept, not rolled back.
 * A storage error (a full disk) is the exception: the batch is then rolled back whole, as if its
 * COMMIT had failed. Inside a batch already open, `fn` joins it. What `afterCommit` queued runs
 * after the commit.
 */
export function commitBatch<T>(db: Database.Database, fn: () => T): T {
  if (isOpen(db)) return watched(db, fn);
  const queued = begin(db);
  try {
    return watched(db, fn);
  } finally {
    commit(db, queued);
  }
}

/**
 * Runs `fn`; a storage error out of it dooms the open batch, even if a caller catches it. SQLite may
 * have rolled the whole transaction back by itself: a new one is opened, so what the batch writes
 * after it is not committed statement by statement but rolled back with the rest.
 */
function watched<T>(db: Database.Database, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    // Only a batch of ours is doomed: one we did not open (a transaction of better-sqlite3's own) ends by its owner.
    if (isStorageError(error) && waiting.has(db)) {
      if (!doomed.has(db)) doomed.set(db, error);
      if (!db.inTransaction) db.exec('BEGIN');
    }
    throw error;
  }
}

function isOpen(db: Database.Database): boolean {
  return waiting.has(db) || db.inTransaction;
}

function begin(db: Database.Database): Waiting[] {
  const queued: Waiting[] = [];
  waiting.set(db, queued);
  db.exec('BEGIN');
  return queued;
}

/**
 * Commits, then runs what waited for the commit. When the commit fails (SQLite rolls a failed
 * COMMIT back by itself on a full disk; else we do), nothing that waited runs, their `onFail` and
 * the failure listeners do, and the error is thrown.
 */
function commit(db: Database.Database, queued: readonly Waiting[]): void {
  try {
    if (doomed.has(db)) throw doomed.get(db);
    finish(db);
    if (db.inTransaction) db.exec('COMMIT');
  } catch (error) {
    doomed.delete(db);
    finishing.delete(db);
    waiting.delete(db);
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // the connection rolled it back itself
      }
    }
    runAll(queued.flatMap((w) => (w.onFail !== undefined ? [w.onFail] : [])));
    runAll([...(failureListeners.get(db) ?? [])].map((listener) => () => listener(error)));
    throw error;
  }
  waiting.delete(db);
  runAll(queued.map((w) => w.fn));
}

/** Per database: the commit that ends the open group (see `groupCommit`). */
const groups = new WeakMap<Database.Database, Promise<void>>();

/**
 * Group commit: runs `fn` now inside a transaction that stays open to the end of the current turn of
 * the event loop (a microtask), so every command the turn delivers (a basket submitted at once)
 * shares one commit, and what they send waits for it (`afterCommit`: one socket write per FIX
 * session). The promise resolves with `fn`'s result once that commit is done (rejects if it fails).
 * Inside a batch already open, `fn` joins it and the promise resolves as soon as that batch is over.
 */
export function groupCommit<T>(db: Database.Database, fn: () => T): Promise<T> {
  let committed = groups.get(db);
  if (committed === undefined) {
    if (isOpen(db)) {
      try {
        return Promise.resolve(watched(db, fn));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    const queued = begin(db);
    committed = new Promise<void>((resolve, reject) => {
      queueMicrotask(() => {
        groups.delete(db);
        try {
          commit(db, queued);
          resolve();
        } catch (error) {
          reject(error); // the commit failed, or what waited for it did: the caller hears of it
        }
      });
    });
    groups.set(db, committed);
  }
  let result: T;
  try {
    result = watched(db, fn);
  } catch (error) {
    return committed.then(() => Promise.reject(error as Error));
  }
  return committed.then(() => result);
}

/**
 * Runs `fn` once everything written on `db` so far is committed: when the open batch commits, or
 * now when none is open. The write-ahead rule for whatever leaves the process (a socket write, a
 * delta to the screens). If the commit fails, `fn` never runs; `onFail` does.
 */
export function afterCommit(db: Database.Database, fn: () => void, onFail?: () => void): void {
  const queued = waiting.get(db);
  if (queued !== undefined) queued.push({ fn, onFail });
  else fn();
}

/**
 * Runs `fn` inside the open batch just before it commits (a projection written once per batch for
 * what its events changed, not once per event), or now when no batch of ours is open. A throw from
 * it fails the commit: the batch is rolled back whole, as a full disk's.
 */
export function beforeCommit(db: Database.Database, fn: () => void): void {
  if (!waiting.has(db)) {
    fn();
    return;
  }
  let queued = finishing.get(db);
  if (queued === undefined) finishing.set(db, (queued = []));
  queued.push(fn);
}

/** What `beforeCommit` queued, in order (one may queue another). */
function finish(db: Database.Database): void {
  const queued = finishing.get(db);
  if (queued === undefined) return;
  for (let i = 0; i < queued.length; i++) queued[i]!();
  finishing.delete(db);
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
