import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClock } from '../time/test-clock';
import type { WalProblem } from './wal-checkpointer';
import { startWalCheckpointer } from './wal-checkpointer';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 5 });
});

function database(): { path: string; db: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
  dirs.push(dir);
  const path = join(dir, 'test.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)');
  return { path, db };
}

/** The checkpointer's thread answers asynchronously: wait for what it does (a bounded wait, not a timing). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('the WAL checkpointer', () => {
  it("copies the WAL back into the database from its own thread, on the clock's cadence, with SQLite's own checkpoint off", async () => {
    const { path, db } = database();
    const clock = new TestClock();
    const problems: WalProblem[] = [];
    const checkpointer = startWalCheckpointer({ db, path, clock, onProblem: (p) => problems.push(p), intervalMs: 100 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const insert = db.prepare('INSERT INTO t (data) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run(Buffer.alloc(4_000, i));
    })();
    const before = statSync(path).size;
    clock.advance(99);
    await new Promise((r) => setTimeout(r, 100));
    expect(statSync(path).size).toBe(before); // not due yet: nothing copied
    clock.advance(1);
    await until(() => statSync(path).size > before + 1_000_000); // the pages are in the database file now
    expect(checkpointer.offThread).toBe(true);
    checkpointer.stop();
    db.close();
    expect(problems).toEqual([]);
  });

  it("fails loudly: a checkpoint that fails raises a problem and hands checkpoints back to SQLite", async () => {
    const { path, db } = database();
    const clock = new TestClock();
    const problems: WalProblem[] = [];
    // The thread opens a file that is not there (fileMustExist): its first checkpoint fails.
    const checkpointer = startWalCheckpointer({ db, path: `${path}.missing`, clock, onProblem: (p) => problems.push(p) });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    clock.advance(100);
    await until(() => problems.length > 0);
    expect(problems).toEqual([{ level: 'error', text: expect.stringMatching(/^WAL checkpoints off the writer's thread failed \(.*\): SQLite checkpoints on the writer's thread again/) }]);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    expect(checkpointer.offThread).toBe(false);
    clock.advance(1_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(problems).toHaveLength(1); // said once; nothing more is tried
    checkpointer.stop();
    db.close();
  });
});
