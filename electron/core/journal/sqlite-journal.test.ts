import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from './desk-events';
import { migrate, MIGRATIONS } from './migrations';
import { SqliteJournal } from './sqlite-journal';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
  dirs.push(dir);
  return join(dir, 'desk.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cancel = (clOrdId: string): DeskEvent => ({ type: 'cancelRequested', at: '2026-11-27T10:00:00Z', orderId: 'O1', clOrdId, origClOrdId: 'X' });

describe('SqliteJournal', () => {
  it('replays events in the order they were appended, across reopen', () => {
    const path = tempFile();
    const j = new SqliteJournal(path, { syncIntervalMs: 0 });
    j.append(cancel('a'));
    j.append(cancel('b'));
    j.close();
    const again = new SqliteJournal(path, { syncIntervalMs: 0 });
    const seen: string[] = [];
    again.replay((e) => seen.push(e.type === 'cancelRequested' ? e.clOrdId : '?'));
    expect(seen).toEqual(['a', 'b']);
    expect(again.eventCount).toBe(2);
    again.close();
  });

  it('hands out ClOrdIDs that are never repeated, across reopen, with a per-file tag', () => {
    const path = tempFile();
    const j = new SqliteJournal(path, { syncIntervalMs: 0 });
    const first = j.appendWithClOrdId((id) => cancel(id)).event;
    j.close();
    const j2 = new SqliteJournal(path, { syncIntervalMs: 0 });
    const second = j2.appendWithClOrdId((id) => cancel(id)).event;
    j2.close();
    const other = new SqliteJournal(tempFile(), { syncIntervalMs: 0 });
    const third = other.appendWithClOrdId((id) => cancel(id)).event;
    other.close();
    const ids = [first, second, third].map((e) => (e.type === 'cancelRequested' ? e.clOrdId : ''));
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]!.split('-')[0]).toBe(ids[1]!.split('-')[0]);
    expect(ids[0]!.split('-')[0]).not.toBe(ids[2]!.split('-')[0]);
  });

  it('never repeats a ClOrdID handed out by an older journal that kept a counter', () => {
    const path = tempFile();
    const j = new SqliteJournal(path, { syncIntervalMs: 0 });
    const first = j.appendWithClOrdId((id) => cancel(id)).event;
    j.append(cancel('plain'));
    j.close();
    // An older desk's counter ran ahead of the events' seq: it handed out up to -41.
    const db = new Database(path);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_cl_ord_id', '42')").run();
    db.close();
    const j2 = new SqliteJournal(path, { syncIntervalMs: 0 });
    const next = j2.appendWithClOrdId((id) => cancel(id)).event;
    const after = j2.appendWithClOrdId((id) => cancel(id)).event;
    j2.close();
    const number = (e: DeskEvent) => Number(e.type === 'cancelRequested' ? e.clOrdId.split('-')[1] : NaN);
    expect(number(first)).toBe(1);
    expect(number(next)).toBeGreaterThanOrEqual(42);
    expect(number(after)).toBeGreaterThan(number(next));
  });

  it('does not keep the event or consume the ClOrdID when building the event throws', () => {
    const path = tempFile();
    const j = new SqliteJournal(path, { syncIntervalMs: 0 });
    expect(() =>
      j.appendWithClOrdId(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(j.eventCount).toBe(0);
    const { event } = j.appendWithClOrdId((id) => cancel(id));
    expect(event.type === 'cancelRequested' && event.clOrdId.endsWith('-1')).toBe(true);
    j.close();
  });

  it('syncs the WAL by group sync without losing anything', async () => {
    const path = tempFile();
    const j = new SqliteJournal(path, { syncIntervalMs: 1 });
    for (let i = 0; i < 100; i++) j.append(cancel(String(i)));
    await new Promise((r) => setTimeout(r, 20));
    j.close();
    const again = new SqliteJournal(path, { syncIntervalMs: 0 });
    expect(again.eventCount).toBe(100);
    again.close();
  });
});

describe('migrations', () => {
  it('migration 1 creates the events and meta tables and records the version', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['events', 'meta']));
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version); // idempotent
    db.close();
  });

  it('refuses a journal written by a newer desk', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer than this desk/);
    db.close();
  });
});
