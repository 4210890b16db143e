import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../journal/desk-events';
import { SqliteJournal } from '../journal/sqlite-journal';
import { createLogger, silentLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import type { BackupFile } from './journal-backups';
import { backupFailed, JournalBackups, listBackups } from './journal-backups';

const MINUTE = 60_000;
const dirs: string[] = [];
const open: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const event = (n: number): DeskEvent => ({ type: 'cancelRequested', at: '2026-11-27T10:00:00Z', orderId: `O${n}`, clOrdId: `C${n}`, origClOrdId: 'X' });

function setup(options: { keep?: number; everyMinutes?: number; events?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'backups-test-'));
  dirs.push(dir);
  const journal = new SqliteJournal(join(dir, 'data', 'desk.sqlite'));
  open.push(journal);
  for (let i = 1; i <= (options.events ?? 100); i++) journal.append(event(i));
  const clock = new TestClock('2026-12-07T09:00:00.000Z');
  const made: BackupFile[] = [];
  const failures: string[] = [];
  const waiters: Array<() => void> = [];
  const policy = { dir: join(dir, 'backups'), everyMs: (options.everyMinutes ?? 60) * MINUTE, keep: options.keep ?? 6 };
  const make = () =>
    new JournalBackups({
      journalPath: journal.path,
      policy,
      clock,
      log: process.env.DEBUG_BACKUPS ? createLogger({}) : silentLogger,
      onBackup: (b) => {
        made.push(b);
        waiters.splice(0).forEach((w) => w());
      },
      onFailure: (error) => {
        failures.push(error);
        waiters.splice(0).forEach((w) => w());
      },
    });
  const nextBackup = () => new Promise<void>((resolve) => waiters.push(resolve));
  return { dir, journal, clock, made, failures, policy, make, nextBackup };
}

function eventsIn(path: string): number[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
  } finally {
    db.close();
  }
}

describe('JournalBackups', () => {
  it('takes a checked, private, standalone copy a minute after start, then every interval', async () => {
    const { journal, clock, made, policy, make, nextBackup } = setup({ everyMinutes: 30 });
    const backups = make();
    backups.start();
    clock.advance(MINUTE - 1);
    expect(made).toHaveLength(0);
    const first = nextBackup();
    clock.advance(1);
    await first;
    const [backup] = made;
    expect(backup).toMatchObject({ takenAt: '2026-12-07T09:01:00.000Z', seq: 100, tag: journal.db.prepare("SELECT value FROM meta WHERE key = 'journal_tag'").pluck().get() });
    expect(backup!.name).toBe(`desk-20261207T090100000Z-${backup!.tag}-s100.sqlite`);
    expect((statSync(backup!.path).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(policy.dir).mode & 0o777).toString(8)).toBe('700');
    expect(readdirSync(policy.dir)).toEqual([backup!.name]); // no -wal, no -journal, no partial
    const copy = new Database(backup!.path, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    copy.close();
    expect(eventsIn(backup!.path)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    journal.append(event(101));
    clock.advance(30 * MINUTE - 1);
    expect(made).toHaveLength(1);
    const second = nextBackup();
    clock.advance(1);
    await second;
    expect(made[1]).toMatchObject({ takenAt: '2026-12-07T09:31:00.000Z', seq: 101 });
    await backups.stop();
  });

  it('a failed backup is reported to the host (an alert), and the next one is still taken at the interval', async () => {
    const { clock, made, failures, policy, make, nextBackup } = setup({ everyMinutes: 30 });
    const backups = make();
    backups.start();
    // The backup folder's place is taken by a file after the start: the backup fails for real (even as root).
    rmSync(policy.dir, { recursive: true });
    writeFileSync(policy.dir, 'not a folder');
    const failed = nextBackup();
    clock.advance(MINUTE);
    await failed;
    expect(made).toHaveLength(0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/EEXIST|ENOTDIR|not a directory/i);
    expect(backupFailed(failures[0]!)).toMatchObject({ level: 'error', code: 'BACKUP_FAILED' });
    rmSync(policy.dir);
    const next = nextBackup();
    clock.advance(30 * MINUTE);
    await next;
    expect(failures).toEqual([failures[0]]);
    expect(made).toHaveLength(1);
    await backups.stop();
  });

  it('is one consistent state of the journal while the desk keeps writing', async () => {
    const { journal, made, make } = setup({ events: 20_000 });
    const backups = make();
    const running = backups.backupNow();
    let appended = 20_000;
    // The desk's thread keeps committing while the worker copies.
    while (made.length === 0 && appended < 60_000) {
      for (let i = 0; i < 200; i++) journal.append(event(++appended));
      await new Promise((r) => setImmediate(r));
    }
    const backup = await running;
    expect(appended, 'the desk committed while the copy was taken').toBeGreaterThan(20_000);
    expect(backup.seq).toBeGreaterThanOrEqual(20_000);
    expect(backup.seq).toBeLessThanOrEqual(appended);
    const seqs = eventsIn(backup.path);
    expect(seqs.length).toBe(backup.seq);
    expect(seqs[seqs.length - 1]).toBe(backup.seq);
  });

  it('keeps the newest `keep`, and removes what a killed backup left', async () => {
    const { clock, made, policy, make, nextBackup } = setup({ keep: 2 });
    const backups = make();
    backups.start();
    writeFileSync(join(policy.dir, 'desk-20261207T080000000Z.partial'), 'left by a backup killed mid-copy');
    writeFileSync(join(policy.dir, 'notes.txt'), 'not ours: left alone');
    for (let i = 0; i < 3; i++) {
      const next = nextBackup();
      clock.advance(i === 0 ? MINUTE : 60 * MINUTE);
      await next;
    }
    expect(listBackups(policy.dir).map((b) => b.name)).toEqual([made[2]!.name, made[1]!.name]);
    expect(readdirSync(policy.dir).sort()).toEqual([made[1]!.name, made[2]!.name, 'notes.txt'].sort());
    await backups.stop();
  });

  it('after a restart, the next backup is due an interval after the newest one in the folder', async () => {
    const { clock, made, make, nextBackup } = setup({ everyMinutes: 60 });
    const first = make();
    await first.backupNow();
    await first.stop();
    clock.advance(10 * MINUTE);
    const second = make();
    second.start();
    clock.advance(50 * MINUTE - 1);
    expect(made).toHaveLength(1);
    const next = nextBackup();
    clock.advance(1);
    await next;
    expect(made[1]!.takenAt).toBe('2026-12-07T10:00:00.000Z');
    await second.stop();
  });

  it('stopped mid-copy: no backup and nothing partial left', async () => {
    const { policy, make } = setup({ events: 30_000 });
    const backups = make();
    const running = backups.backupNow();
    await backups.stop();
    await expect(running).rejects.toThrow();
    expect(existsSync(policy.dir) ? readdirSync(policy.dir) : []).toEqual([]);
  });
});
