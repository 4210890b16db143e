import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { afterCommit, commitBatch, groupCommit } from './commit-batch';

const open: Database.Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A WAL database and a second connection that sees only committed rows. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'commit-batch-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'x.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v TEXT)');
  const reader = new Database(join(dir, 'x.sqlite'), { readonly: true });
  open.push(reader, db);
  const committed = () => reader.prepare('SELECT v FROM t ORDER BY rowid').pluck().all() as string[];
  const insert = (v: string) => db.prepare('INSERT INTO t VALUES (?)').run(v);
  return { db, committed, insert };
}

describe('commitBatch and afterCommit', () => {
  it('runs what waits for the commit after it, in order, once for nested batches', () => {
    const { db, committed, insert } = setup();
    const seen: string[] = [];
    commitBatch(db, () => {
      insert('a');
      afterCommit(db, () => seen.push(`first sees ${committed().join(',')}`));
      commitBatch(db, () => {
        insert('b');
        afterCommit(db, () => seen.push(`second sees ${committed().join(',')}`));
      });
      expect(seen).toEqual([]);
      expect(committed()).toEqual([]);
    });
    expect(seen).toEqual(['first sees a,b', 'second sees a,b']);
  });

  it('runs at once when no batch is open', () => {
    const { db } = setup();
    const seen: string[] = [];
    afterCommit(db, () => seen.push('now'));
    expect(seen).toEqual(['now']);
  });

  it('commits and runs the waiting work when the batch throws: what was written was acted on', () => {
    const { db, committed, insert } = setup();
    const seen: string[] = [];
    expect(() =>
      commitBatch(db, () => {
        insert('a');
        afterCommit(db, () => seen.push('ran'));
        throw new Error('handler failed');
      }),
    ).toThrow('handler failed');
    expect(committed()).toEqual(['a']);
    expect(seen).toEqual(['ran']);
  });

  it('never runs the waiting work when the commit fails', () => {
    const { db, insert } = setup();
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    db.pragma('foreign_keys = ON');
    const seen: string[] = [];
    expect(() =>
      commitBatch(db, () => {
        insert('a');
        db.prepare('INSERT INTO child VALUES (42)').run(); // violates the deferred key at COMMIT
        afterCommit(db, () => seen.push('ran'));
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(seen).toEqual([]);
    if (db.inTransaction) db.exec('ROLLBACK');
  });

  it('group commit: the commands of one turn share one commit, answered after it', async () => {
    const { db, committed, insert } = setup();
    const seen: string[] = [];
    const first = groupCommit(db, () => {
      insert('a');
      afterCommit(db, () => seen.push(`sent after ${committed().join(',')}`));
      return 'first';
    });
    const second = groupCommit(db, () => {
      insert('b');
      commitBatch(db, () => insert('c')); // a batch inside joins the group
      return 'second';
    });
    expect(committed()).toEqual([]);
    expect(seen).toEqual([]);
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(seen).toEqual(['sent after a,b,c']);

    await groupCommit(db, () => insert('d')); // a later turn: its own commit
    expect(committed()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('group commit: a command that throws is refused after the commit; the others are kept', async () => {
    const { db, committed, insert } = setup();
    const failing = groupCommit(db, () => {
      insert('a');
      throw new Error('refused');
    });
    const fine = groupCommit(db, () => insert('b'));
    await expect(failing).rejects.toThrow('refused');
    await fine;
    expect(committed()).toEqual(['a', 'b']);
  });
});
