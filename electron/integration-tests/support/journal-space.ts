import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

/** A data folder whose journal a test can make full for real, and give space again. */
export interface JournalSpace {
  readonly name: string;
  readonly dataDir: string;
  /** For `createDesk`'s `testOnlyJournalOpened`. */
  readonly journalOpened?: (db: Database.Database) => void;
  /** No more room for the journal: its next new page fails with SQLITE_FULL. */
  fill(): void;
  /** Room again. */
  free(): void;
  dispose(): void;
}

/** SQLite's largest page limit: what `max_page_count` is when nothing caps it. */
const NO_CAP = 4_294_967_294;

/**
 * Runs everywhere: the journal's connection capped at the pages it has (`PRAGMA max_page_count`),
 * so the next write that needs a page fails with SQLITE_FULL inside SQLite as on a full disk.
 * The cap is on the desk's own connection, set through `createDesk`'s test-only hook.
 */
export function pageCappedJournal(): JournalSpace {
  const dir = mkdtempSync(join(tmpdir(), 'desk-capped-'));
  let db: Database.Database | undefined;
  const connection = (): Database.Database => {
    if (db === undefined) throw new Error('the desk has not opened its journal yet');
    return db;
  };
  return {
    name: 'a journal capped at its size (max_page_count)',
    dataDir: join(dir, 'data'),
    journalOpened: (opened) => (db = opened),
    fill() {
      const pages = connection().pragma('page_count', { simple: true }) as number;
      const cap = connection().pragma(`max_page_count = ${pages}`, { simple: true }) as number;
      if (cap !== pages) throw new Error(`max_page_count is ${cap}, not the ${pages} pages in use`);
    },
    free() {
      connection().pragma(`max_page_count = ${NO_CAP}`);
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A full disk for real: the data folder on a 16 MiB tmpfs, filled with a file until writes fail.
 * Undefined where mounting is not allowed (needs root or CAP_SYS_ADMIN: CI has neither).
 */
export function tmpfsJournal(): JournalSpace | undefined {
  const mountPoint = mkdtempSync(join(tmpdir(), 'desk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    rmSync(mountPoint, { recursive: true, force: true });
    return undefined;
  }
  const dataDir = join(mountPoint, 'data');
  mkdirSync(dataDir, { recursive: true });
  const filler = join(mountPoint, 'filler');
  return {
    name: 'a full tmpfs',
    dataDir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch {
        try {
          for (;;) writeSync(fd, chunk, 0, 512);
        } catch {
          // full
        }
      } finally {
        closeSync(fd);
      }
      if (statfsSync(mountPoint).bavail !== 0) throw new Error('the tmpfs still has room');
    },
    free() {
      rmSync(filler);
    },
    dispose() {
      execFileSync('umount', ['-l', mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    },
  };
}
