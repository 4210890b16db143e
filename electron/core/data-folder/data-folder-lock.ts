import { readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../time/clock';
import { makePrivate, writePrivateFileAtomic } from './private-files';

/**
 * One desk per data folder. The lock is SQLite's own exclusive lock on a database of its own
 * (`desk.lock`, which holds nothing): a transaction opened with BEGIN EXCLUSIVE and held for the
 * desk's life. It is a POSIX advisory lock (LockFileEx on Windows), so the operating system drops
 * it when the process ends in any way, kill -9 included: a crash never blocks the next start, and
 * nothing has to guess whether a PID file is stale. Who holds it is written beside it
 * (`desk.lock.json`) for the message a second desk shows.
 */
export const LOCK_FILE = 'desk.lock';
export const LOCK_OWNER_FILE = 'desk.lock.json';

export type HostKind = 'headless' | 'electron' | 'restore';

const HOST_NAMES: Readonly<Record<HostKind, string>> = {
  headless: 'headless host (npm run serve)',
  electron: 'Electron desk',
  restore: 'journal restore (npm run restore)',
};

export interface LockOwner {
  readonly pid: number;
  readonly host: HostKind;
  readonly startedAt: string;
  readonly hostname: string;
}

export interface DataFolderLock {
  readonly owner: LockOwner;
  /** Idempotent. The owner file goes first, so it never names a desk that no longer holds the lock. */
  release(): void;
}

export class DataFolderInUseError extends Error {
  override readonly name = 'DataFolderInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockOwner | undefined,
  ) {
    super(inUseMessage(dataDir, holder));
  }
}

/** Takes the data folder's lock, or throws DataFolderInUseError naming the process that has it. The folder must exist. */
export function acquireDataFolderLock(dataDir: string, host: HostKind, clock: Clock): DataFolderLock {
  const lockPath = join(dataDir, LOCK_FILE);
  const db = new Database(lockPath, { timeout: 0 });
  try {
    makePrivate(lockPath);
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY'); // nothing is written: no desk.lock-journal file beside it
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new DataFolderInUseError(dataDir, readLockOwner(dataDir));
    throw e;
  }
  const owner: LockOwner = { pid: process.pid, host, startedAt: clock.now().toISOString(), hostname: hostname() };
  const ownerPath = join(dataDir, LOCK_OWNER_FILE);
  try {
    writePrivateFileAtomic(ownerPath, `${JSON.stringify(owner)}\n`);
  } catch (e) {
    db.close();
    throw e;
  }
  let held = true;
  return {
    owner,
    release() {
      if (!held) return;
      held = false;
      rmSync(ownerPath, { force: true });
      db.close();
    },
  };
}

/** What the desk holding the lock wrote beside it; undefined while it has not written it yet, or if it is unreadable. */
export function readLockOwner(dataDir: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(join(dataDir, LOCK_OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.startedAt !== 'string' || !(value.host !== undefined && value.host in HOST_NAMES)) return undefined;
    return { pid: value.pid, host: value.host, startedAt: value.startedAt, hostname: typeof value.hostname === 'string' ? value.hostname : '?' };
  } catch {
    return undefined;
  }
}

function inUseMessage(dataDir: string, holder: LockOwner | undefined): string {
  const who =
    holder === undefined
      ? `another desk holds its lock (${join(dataDir, LOCK_FILE)}; it has not said who it is yet)`
      : `it is in use by the ${HOST_NAMES[holder.host]} with PID ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}`;
  return `The data folder ${dataDir} cannot be used: ${who}. Two desks on one journal would fight over the same broker sessions. Stop that one first, or give this one another data folder (--data-dir).`;
}
