import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FixSessionStore } from './fix-session-store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 5 }); // a checkpointer worker may still be closing
});
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fix-store-'));
  dirs.push(dir);
  return join(dir, 'session.sqlite');
}

/** A store file as the first release wrote it. */
function writeLegacyFile(path: string): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE session (id INTEGER PRIMARY KEY CHECK (id = 1), session_key TEXT NOT NULL, next_in INTEGER NOT NULL, next_out INTEGER NOT NULL, epoch INTEGER NOT NULL, last_reset_day TEXT);
    CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, epoch INTEGER NOT NULL, direction TEXT NOT NULL, seq INTEGER NOT NULL, msg_type TEXT NOT NULL, poss_dup INTEGER NOT NULL, at TEXT NOT NULL, raw TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE INDEX messages_out ON messages (epoch, direction, seq);
    CREATE INDEX messages_at ON messages (at);
    INSERT INTO session VALUES (1, 'FIX.4.4:DESK->BRK', 8, 5, 3, '2026-11-26');
    INSERT INTO meta VALUES ('book', '{"orders":1}');
  `);
  const insert = db.prepare('INSERT INTO messages (epoch, direction, seq, msg_type, poss_dup, at, raw) VALUES (?, ?, ?, ?, 0, ?, ?)');
  for (let seq = 1; seq <= 4; seq++) insert.run(3, 'out', seq, 'D', '2026-11-27T09:00:00.000Z', `35=D\x0134=${seq}\x01`);
  for (let seq = 1; seq <= 7; seq++) insert.run(3, 'in', seq, '8', '2026-11-27T09:00:01.000Z', `35=8\x0134=${seq}\x01`);
  db.close();
}

describe('the FIX session store', () => {
  it('upgrades a file of the first release in place: same numbers, messages and resend', () => {
    const path = tempPath();
    writeLegacyFile(path);
    const store = new FixSessionStore(path, { sessionKey: 'FIX.4.4:DESK->BRK', now: () => new Date('2026-11-27T10:00:00Z') });
    expect(store.sequences).toEqual({ nextIn: 8, nextOut: 5, epoch: 3, lastResetDay: '2026-11-26' });
    expect(store.outgoing(2, 3).map((m) => m.raw)).toEqual(['35=D\x0134=2\x01', '35=D\x0134=3\x01']);
    expect(store.getMeta('book')).toBe('{"orders":1}');
    expect(store.messageLog({ limit: 100 })).toHaveLength(11);
    store.recordOutgoing(5, 'D', false, new Date('2026-11-27T10:00:00Z'), '35=D\x0134=5\x01', 6);
    store.close();

    const db = new Database(path, { readonly: true });
    const ddl = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'fix_messages'").pluck().get() as string).toUpperCase();
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fix_messages'").pluck().all();
    const ids = db.prepare('SELECT id FROM fix_messages ORDER BY id').pluck().all();
    const oldTables = db.prepare("SELECT name FROM sqlite_master WHERE name IN ('session', 'messages', 'meta')").pluck().all();
    db.close();
    expect(ddl).not.toContain('AUTOINCREMENT');
    expect(indexes).toEqual(['fix_messages_out']);
    expect(oldTables).toEqual([]);
    expect(ids).toEqual([...Array.from({ length: 11 }, (_, i) => i + 1), 12]);

    const again = new FixSessionStore(path, { sessionKey: 'FIX.4.4:DESK->BRK' });
    expect(again.sequences.nextOut).toBe(6);
    expect(again.outgoing(5, 5)).toHaveLength(1);
    again.close();
  });

  it('keeps messages for the retention period and at most maxRows of them', () => {
    const path = tempPath();
    let now = new Date('2026-11-01T10:00:00Z');
    const store = new FixSessionStore(path, { sessionKey: 'k', retentionDays: 7, maxRows: 1_500, now: () => now });
    for (let i = 1; i <= 1_000; i++) store.recordIncoming(i, '0', false, now, `old ${i}`);
    now = new Date('2026-11-27T10:00:00Z');
    for (let i = 1; i <= 999; i++) store.recordIncoming(i, '0', false, now, `new ${i}`);
    store.recordIncoming(1_000, '0', false, now, 'new 1000'); // the 2,000th write prunes
    const kept = store.messageLog({ limit: 1_000, search: 'old' });
    expect(kept).toHaveLength(0);
    expect(store.messageLog({ limit: 1_000, search: 'new' })).toHaveLength(1_000);
    for (let i = 1; i <= 1_000; i++) store.recordIncoming(i, '0', false, now, `newer ${i}`); // 3,000th write: over maxRows
    expect(store.messageLog({ limit: 1_000, search: 'new ' })).toHaveLength(500);
    store.close();
  });

  it('refuses a file written by a newer desk', () => {
    const path = tempPath();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new FixSessionStore(path, { sessionKey: 'k' })).toThrow(/newer than this desk/);
  });

  it('keeps several sessions apart in one shared database, and leaves that database open at close', () => {
    const db = new Database(tempPath());
    const a = FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'ka' });
    const b = FixSessionStore.inDatabase(db, { name: 'B', sessionKey: 'kb' });
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

    const again = FixSessionStore.inDatabase(db, { name: 'B', sessionKey: 'kb' });
    expect(again.sequences).toMatchObject({ nextIn: 1, nextOut: 3 });
    expect(FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'ka' }).sequences).toMatchObject({ nextIn: 2, nextOut: 2 });
    expect(FixSessionStore.inDatabase(db, { name: 'A', sessionKey: 'other' }).sequences).toMatchObject({ nextIn: 1, nextOut: 1, epoch: 2 });
    db.close();
  });

  it("imports a session's own file of an earlier release once, then renames it", () => {
    const legacy = tempPath();
    writeLegacyFile(legacy);
    const db = new Database(join(dirname(legacy), 'desk.sqlite'));
    const options = { name: 'BRK', sessionKey: 'FIX.4.4:DESK->BRK', importFrom: legacy, now: () => new Date('2026-11-27T10:00:00Z') };
    const store = FixSessionStore.inDatabase(db, options);
    expect(store.sequences).toEqual({ nextIn: 8, nextOut: 5, epoch: 3, lastResetDay: '2026-11-26' });
    expect(store.outgoing(2, 3).map((m) => m.raw)).toEqual(['35=D\x0134=2\x01', '35=D\x0134=3\x01']);
    expect(store.messageLog({ limit: 100 })).toHaveLength(11);
    expect(existsSync(legacy)).toBe(false);
    expect(existsSync(`${legacy}.imported`)).toBe(true);
    store.recordOutgoing(5, 'D', false, new Date('2026-11-27T10:00:00Z'), '35=D\x0134=5\x01', 6);

    // Killed after the import's commit, before the rename: the file is back, the session is not imported twice.
    copyFileSync(`${legacy}.imported`, legacy);
    const next = FixSessionStore.inDatabase(db, options);
    expect(next.sequences.nextOut).toBe(6);
    expect(next.messageLog({ limit: 100 })).toHaveLength(12);
    expect(existsSync(legacy)).toBe(false);
    db.close();
  });
});
