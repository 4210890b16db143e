import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WalProblem } from '../sqlite/wal-checkpointer';
import { TestClock } from '../time/test-clock';
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
    const j = new SqliteJournal(path);
    j.append(cancel('a'));
    j.append(cancel('b'));
    j.close();
    const again = new SqliteJournal(path);
    const seen: string[] = [];
    again.replay((e) => seen.push(e.type === 'cancelRequested' ? e.clOrdId : '?'));
    expect(seen).toEqual(['a', 'b']);
    expect(again.eventCount).toBe(2);
    again.close();
  });

  it('hands out ClOrdIDs that are never repeated, across reopen, with a per-file tag', () => {
    const path = tempFile();
    const j = new SqliteJournal(path);
    const first = j.appendWithClOrdId((id) => cancel(id)).event;
    j.close();
    const j2 = new SqliteJournal(path);
    const second = j2.appendWithClOrdId((id) => cancel(id)).event;
    j2.close();
    const other = new SqliteJournal(tempFile());
    const third = other.appendWithClOrdId((id) => cancel(id)).event;
    other.close();
    const ids = [first, second, third].map((e) => (e.type === 'cancelRequested' ? e.clOrdId : ''));
    expect(new Set(ids).size).toBe(3);
    expect(ids[0]!.split('-')[0]).toBe(ids[1]!.split('-')[0]);
    expect(ids[0]!.split('-')[0]).not.toBe(ids[2]!.split('-')[0]);
  });

  it('does not keep the event or consume the ClOrdID when building the event throws', () => {
    const path = tempFile();
    const j = new SqliteJournal(path);
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

  it('syncs the WAL by group sync, on the injected clock, without losing anything', async () => {
    const path = tempFile();
    const clock = new TestClock();
    const problems: WalProblem[] = [];
    const j = new SqliteJournal(path, { sync: { clock, intervalMs: 5, onProblem: (p) => problems.push(p) } });
    const fsyncs = vi.spyOn(fs, 'fsync').mockImplementation((_fd, done) => done(null)); // done at once: the test is about when, not how
    for (let i = 0; i < 100; i++) j.append(cancel(String(i)));
    expect(fsyncs).not.toHaveBeenCalled();
    clock.advance(5);
    expect(fsyncs).toHaveBeenCalledTimes(1); // one sync for every commit since the last
    clock.advance(50);
    expect(fsyncs).toHaveBeenCalledTimes(1); // nothing committed since: no sync
    j.append(cancel('more'));
    clock.advance(5);
    expect(fsyncs).toHaveBeenCalledTimes(2);
    fsyncs.mockRestore();
    j.close();
    expect(problems).toEqual([]);
    const again = new SqliteJournal(path);
    expect(again.eventCount).toBe(101);
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
