import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { afterCommit, beforeCommit, commitBatch, groupCommit, onCommitFailed } from './commit-batch';

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

  /** Caps `db` at the pages it has: the next write that needs a page fails with SQLITE_FULL, as on a full disk. */
  function capAtSize(db: Database.Database): void {
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  }
  const bigValue = 'x'.repeat(20_000);

  it('a full disk inside a batch rolls the batch back whole, even when a caller caught it: nothing waiting runs, the listeners hear it', () => {
    const { db, committed, insert } = setup();
    insert('before');
    capAtSize(db);
    const seen: string[] = [];
    const heard: unknown[] = [];
    onCommitFailed(db, (error) => heard.push((error as { code?: string }).code));
    expect(() =>
      commitBatch(db, () => {
        insert('a'); // fits in the page it has
        afterCommit(
          db,
          () => seen.push('sent'),
          () => seen.push('not sent'),
        );
        try {
          commitBatch(db, () => insert(bigValue)); // needs new pages
        } catch {
          // a handler that swallows it: the batch is doomed anyway
        }
        insert('b');
      }),
    ).toThrow(/full/);
    expect(committed()).toEqual(['before']);
    expect(seen).toEqual(['not sent']);
    expect(heard).toEqual(['SQLITE_FULL']);
    expect(db.inTransaction).toBe(false);

    db.pragma('max_page_count = 4294967294'); // room again: the next batch commits as usual
    commitBatch(db, () => insert(bigValue.slice(0, 5)));
    expect(committed()).toEqual(['before', 'xxxxx']);
  });

  it('group commit: a full disk in one command refuses every command of the turn (one transaction), nothing of it sent', async () => {
    const { db, committed, insert } = setup();
    capAtSize(db);
    const seen: string[] = [];
    const first = groupCommit(db, () => {
      insert('a');
      afterCommit(db, () => seen.push('sent a'));
    });
    const second = groupCommit(db, () => insert(bigValue));
    await expect(second).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    await expect(first).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(committed()).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('a full disk inside a transaction it did not open (better-sqlite3\'s own) is left to its owner: the next batch commits', () => {
    const { db, committed, insert } = setup();
    capAtSize(db);
    expect(() => db.transaction(() => commitBatch(db, () => insert(bigValue)))()).toThrow(/full/);
    db.pragma('max_page_count = 4294967294');
    commitBatch(db, () => insert('next'));
    expect(committed()).toEqual(['next']);
  });

  it('other errors thrown in a batch keep what was written (it was acted on)', () => {
    const { db, committed, insert } = setup();
    expect(() =>
      commitBatch(db, () => {
        insert('a');
        try {
          db.prepare('INSERT INTO missing VALUES (1)').run();
        } catch {
          // not a storage error
        }
        throw new Error('handler failed');
      }),
    ).toThrow('handler failed');
    expect(committed()).toEqual(['a']);
  });

  it('beforeCommit writes into the batch once, after its last write and before what waits for the commit', () => {
    const { db, committed, insert } = setup();
    const seen: string[] = [];
    commitBatch(db, () => {
      beforeCommit(db, () => {
        insert('last');
        beforeCommit(db, () => insert('queued by a hook')); // runs in the same commit
      });
      afterCommit(db, () => seen.push(`after sees ${committed().join(',')}`));
      insert('a');
      commitBatch(db, () => insert('b'));
      expect(committed()).toEqual([]);
    });
    expect(seen).toEqual(['after sees a,b,last,queued by a hook']);
    // Without a batch of ours open it runs at once.
    beforeCommit(db, () => insert('now'));
    expect(committed()).toEqual(['a', 'b', 'last', 'queued by a hook', 'now']);
  });

  it('a beforeCommit that throws fails the commit: the batch is rolled back whole, nothing waiting runs, the listeners hear it', async () => {
    const { db, committed, insert } = setup();
    const heard: unknown[] = [];
    onCommitFailed(db, (error) => heard.push(error));
    const seen: string[] = [];
    expect(() =>
      commitBatch(db, () => {
        insert('a');
        beforeCommit(db, () => {
          insert('b');
          throw new Error('projection failed');
        });
        afterCommit(db, () => seen.push('ran'), () => seen.push('failed'));
      }),
    ).toThrow('projection failed');
    expect(committed()).toEqual([]);
    expect(seen).toEqual(['failed']);
    expect(heard).toHaveLength(1);
    // A group commit's hooks run at its end too; the next batch starts with none left over.
    const done = groupCommit(db, () => beforeCommit(db, () => insert('group')));
    expect(committed()).toEqual([]);
    await done;
    expect(committed()).toEqual(['group']);
  });
});
