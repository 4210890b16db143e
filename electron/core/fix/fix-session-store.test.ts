import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../journal/migrations';
import { TestClock } from '../time/test-clock';
import { commitBatch } from '../sqlite/commit-batch';
import { FixSessionStore, OWN_FILE_TABLES } from './fix-session-store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 5 }); // a checkpointer worker may still be closing
});
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fix-store-'));
  dirs.push(dir);
  return join(dir, 'session.sqlite');
}

const clock = new TestClock('2026-11-27T10:00:00Z');

describe('the FIX session store', () => {
  it('keeps only the received messages its owner wants in the log (a market-data session: no quotes)', () => {
    const store = new FixSessionStore(undefined, { sessionKey: 'md', clock, keepIncoming: (msgType) => msgType !== 'X' });
    store.recordIncoming(1, 'A', false, clock.now(), '35=A');
    store.recordIncoming(2, 'X', false, clock.now(), '35=X');
    store.recordIncoming(3, 'Y', false, clock.now(), '35=Y');
    expect(store.messageLog({ limit: 10 }).map((m) => m.msgType)).toEqual(['Y', 'A']);
    store.close();
  });

  it('stores the next incoming number once per batch, in its commit; a failed commit reads the stored one back', () => {
    const path = tempPath();
    const store = new FixSessionStore(path, { sessionKey: 'k', clock });
    const reader = new Database(path, { readonly: true });
    const stored = () => reader.prepare('SELECT next_in FROM fix_sessions').pluck().get();
    const db = (store as unknown as { db: Database.Database }).db;
    const updates: number[] = [];
    db.function('seen', (v: number) => (updates.push(v), v));
    db.exec("CREATE TEMP TRIGGER next_in_written AFTER UPDATE OF next_in ON fix_sessions BEGIN SELECT seen(NEW.next_in); END");
    commitBatch(db, () => {
      for (let n = 2; n <= 5; n++) {
        store.recordIncoming(n - 1, '8', false, clock.now(), `report ${n - 1}`);
        store.setNextIn(n);
      }
      expect(store.sequences.nextIn).toBe(5);
      expect(stored()).toBe(1);
    });
    expect(updates).toEqual([5]);
    expect(stored()).toBe(5);
    // A commit that fails (here a deferred foreign key) stores nothing of the batch: the number is read back.
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    db.pragma('foreign_keys = ON');
    expect(() =>
      commitBatch(db, () => {
        store.setNextIn(9);
        db.prepare('INSERT INTO child VALUES (42)').run();
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(store.sequences.nextIn).toBe(5);
    store.setNextIn(6); // outside a batch: stored at once
    expect(stored()).toBe(6);
    reader.close();
    store.close();
  });

  it('keeps messages for the retention period and at most maxRows of them', () => {
    const path = tempPath();
    const time = new TestClock('2026-11-01T10:00:00Z');
    const store = new FixSessionStore(path, { sessionKey: 'k', retentionDays: 7, maxRows: 1_500, clock: time });
    for (let i = 1; i <= 1_000; i++) store.recordIncoming(i, '0', false, time.now(), `old ${i}`);
    time.advance(26 * 86_400_000);
    const now = time.now();
    for (let i = 1; i <= 999; i++) store.recordIncoming(i, '0', false, now, `new ${i}`);
    store.recordIncoming(1_000, '0', false, now, 'new 1000'); // the 2,000th write prunes
    const kept = store.messageLog({ limit: 1_000, search: 'old' });
    expect(kept).toHaveLength(0);
    expect(store.messageLog({ limit: 1_000, search: 'new' })).toHaveLength(1_000);
    for (let i = 1; i <= 1_000; i++) store.recordIncoming(i, '0', false, now, `newer ${i}`); // 3,000th write: over maxRows
    expect(store.messageLog({ limit: 1_000, search: 'new ' })).toHaveLength(500);
    store.close();
  });

  it("a store in a file of its own has the tables of the journal's migration 4 (and the simulator's meta table)", () => {
    const own = new Database(':memory:');
    own.exec(OWN_FILE_TABLES);
    const journal = new Database(':memory:');
    migrate(journal, MIGRATIONS.filter((m) => m.version <= 4));
    const schema = (db: Database.Database) =>
      (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'fix_%' AND name <> 'fix_session_meta' ORDER BY name").all() as Array<{ sql: string }>).map((r) => ({
        ...r,
        sql: r.sql.replace(/\s+/g, ' '),
      }));
    expect(schema(own)).toEqual(schema(journal));
    expect(schema(own)).toHaveLength(3);
  });

  it("in the journal's database, the journal's migrations create the tables", () => {
    const db = new Database(':memory:');
    expect(() => FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'ka', clock })).toThrow(/the journal's migrations create them/);
    migrate(db);
    expect(FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'ka', clock }).sequences).toMatchObject({ nextIn: 1, nextOut: 1 });
    db.close();
  });

  it('keeps several sessions apart in one shared database, and leaves that database open at close', () => {
    const db = new Database(tempPath());
    migrate(db);
    const a = FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'ka', clock });
    const b = FixSessionStore.inDatabase(db, { name: 'B', sessionKey: 'kb', clock });
    const at = new Date('2026-11-27T10:00:00Z');
    a.recordOutgoing(1, 'D', false, at, '35=D\x0111=A1\x01', 2);
    b.recordOutgoing(1, 'D', false, at, '35=D\x0111=B1\x01', 2);
    b.recordOutgoing(2, 'F', false, at, '35=F\x0111=B2\x01', 3);
    a.recordIncoming(1, '8', false, at, '35=8\x01');
    a.setNextIn(2);
    expect(a.outgoing(1, 9).map((m) => m.raw)).toEqual(['35=D\x0111=A1\x01']);
    expect(b.outgoing(1, 9).map((m) => m.msgType)).toEqual(['D', 'F']);
    expect(a.messageLog({ limit: 10 }).map((m) => m.raw)).toEqual(['35=8|', '35=D|11=A1|']);
    a.close();
    b.close();
    expect(db.open).toBe(true);

    const again = FixSessionStore.inDatabase(db, { name: 'B', sessionKey: 'kb', clock });
    expect(again.sequences).toMatchObject({ nextIn: 1, nextOut: 3 });
    expect(FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'ka', clock }).sequences).toMatchObject({ nextIn: 2, nextOut: 2 });
    expect(FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'other', clock }).sequences).toMatchObject({ nextIn: 1, nextOut: 1, epoch: 2 });
    db.close();
  });
});
