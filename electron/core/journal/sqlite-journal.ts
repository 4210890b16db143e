import { closeSync, fsync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DeskEvent } from './desk-events';
import { orderIdOf } from './desk-events';
import type { Journal } from './journal';
import { afterCommit, commitBatch, groupCommit } from '../sqlite/commit-batch';
import type { WalCheckpointer } from '../sqlite/wal-checkpointer';
import { startWalCheckpointer } from '../sqlite/wal-checkpointer';
import { PRIVATE_DIR_MODE, makePrivate } from '../data-folder/private-files';
import { migrate } from './migrations';
import type { SnapshotStore } from './snapshot-store';
import { SqliteSnapshotStore } from './snapshot-store';

/** Rows read per query on replay: one `all()` per chunk reads ~30% faster than a row iterator. */
const REPLAY_CHUNK = 2_000;

export interface SqliteJournalOptions {
  /**
   * How often the WAL is fsynced when events were committed since the last sync (group sync, for
   * power-loss durability). 0 turns it off (tests, benchmarks of the process-crash guarantee only).
   */
  readonly syncIntervalMs?: number;
}

/**
 * The journal in one SQLite file (WAL mode). ClOrdIDs are `<tag>-<n>`: the tag is random per
 * journal file, so a desk started on a fresh file never repeats an ID an old file sent.
 */
export class SqliteJournal implements Journal {
  /**
   * Shared with the FIX session stores (fix-session-store.ts, `inDatabase`): one transaction covers
   * the desk's events and the session's messages.
   */
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertAt: Database.Statement;
  /** The highest seq ever used (AUTOINCREMENT: never reused, even after a rollback or a delete). */
  private lastSeq: number;
  private readonly tag: string;
  /** Counted on first use: a count(*) reads the whole table (~0.2 s at 1M events), which a start does not need. */
  private count: number | undefined;
  private dirty = false;
  private syncing = false;
  private walFd: number | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private checkpointer: WalCheckpointer | undefined;
  private readonly newest: Database.Statement;
  readonly snapshots: SnapshotStore;

  constructor(
    readonly path: string,
    options: SqliteJournalOptions = {},
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    this.db = new Database(path);
    if (this.db.memory === false) makePrivate(path); // before anything is written: SQLite gives the -wal and -shm the journal's mode
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.tag = this.ensureTag();
    this.insert = this.db.prepare('INSERT INTO events (at, type, order_id, payload) VALUES (?, ?, ?, ?)');
    this.insertAt = this.db.prepare('INSERT INTO events (seq, at, type, order_id, payload) VALUES (?, ?, ?, ?, ?)');
    // Journals written before ClOrdIDs were numbered by seq kept a counter, always at or below the
    // seq of the event that used it: continuing from above both never repeats one.
    const counter = Number((this.db.prepare("SELECT value FROM meta WHERE key = 'next_cl_ord_id'").pluck().get() as string | undefined) ?? '1');
    const used = (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck().get() as number | undefined) ?? 0;
    this.lastSeq = Math.max(used, counter - 1);
    this.newest = this.db.prepare('SELECT max(seq) FROM events').pluck();
    this.snapshots = new SqliteSnapshotStore(this.db);
    const interval = options.syncIntervalMs ?? 5;
    if (interval > 0) {
      this.syncTimer = setInterval(() => this.syncIfDirty(), interval);
      this.syncTimer.unref();
      this.checkpointer = startWalCheckpointer(this.db, path); // checkpoints off this thread
    }
  }

  get eventCount(): number {
    this.count ??= this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    return this.count;
  }

  get latestSeq(): number {
    return (this.newest.get() as number | null) ?? 0;
  }

  append(event: DeskEvent): number {
    const seq = this.write(event);
    this.dirty = true;
    return seq;
  }

  appendWithClOrdId(build: (clOrdId: string) => DeskEvent): { seq: number; event: DeskEvent } {
    // The ClOrdID is numbered by the seq of the event that carries it: unique with no counter row
    // to update, and one INSERT is atomic on its own (no transaction to open: less on the order's path).
    const seq = this.lastSeq + 1;
    const event = build(`${this.tag}-${seq}`);
    this.insertAt.run(seq, event.at, event.type, orderIdOf(event) ?? null, JSON.stringify(event));
    this.lastSeq = seq;
    if (this.count !== undefined) this.count++;
    this.dirty = true;
    return { seq, event };
  }

  batch<T>(fn: () => T): T {
    try {
      return commitBatch(this.db, fn); // every event appended was applied to the book: kept even if fn throws
    } finally {
      this.dirty = true;
    }
  }

  groupCommit<T>(fn: () => T): Promise<T> {
    this.dirty = true;
    return groupCommit(this.db, fn);
  }

  afterCommit(fn: () => void): void {
    afterCommit(this.db, fn);
  }

  eventsForOrder(orderId: string): Array<{ seq: number; event: DeskEvent }> {
    const rows = this.db.prepare('SELECT seq, payload FROM events WHERE order_id = ? ORDER BY seq').raw().all(orderId) as Array<[number, string]>;
    return rows.map(([seq, payload]) => ({ seq, event: JSON.parse(payload) as DeskEvent }));
  }

  replay(visit: (event: DeskEvent, seq: number) => void, afterSeq = 0): void {
    const chunk = this.db.prepare('SELECT seq, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?').raw();
    for (let after = afterSeq; ; ) {
      const rows = chunk.all(after, REPLAY_CHUNK) as Array<[number, string]>;
      for (const [seq, payload] of rows) visit(JSON.parse(payload) as DeskEvent, seq);
      if (rows.length < REPLAY_CHUNK) return;
      after = (rows[rows.length - 1] as [number, string])[0];
    }
  }

  close(): void {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.checkpointer?.stop();
    this.checkpointer = undefined;
    if (this.walFd !== undefined) {
      if (this.dirty) fsyncSync(this.walFd);
      closeSync(this.walFd);
    }
    this.walFd = undefined;
    this.db.close();
  }

  private write(event: DeskEvent): number {
    const info = this.insert.run(event.at, event.type, orderIdOf(event) ?? null, JSON.stringify(event));
    if (this.count !== undefined) this.count++;
    this.lastSeq = Number(info.lastInsertRowid);
    return this.lastSeq;
  }

  /** Group sync: one fsync of the WAL (off the main thread) covers every commit since the last one. */
  private syncIfDirty(): void {
    if (!this.dirty || this.syncing) return;
    this.walFd ??= this.openWal();
    if (this.walFd === undefined) return;
    this.dirty = false;
    this.syncing = true;
    fsync(this.walFd, () => {
      this.syncing = false;
    });
  }

  private openWal(): number | undefined {
    try {
      return openSync(`${this.path}-wal`, 'r');
    } catch {
      return undefined; // no WAL yet: nothing to sync
    }
  }

  private ensureTag(): string {
    const existing = this.db.prepare("SELECT value FROM meta WHERE key = 'journal_tag'").pluck().get() as string | undefined;
    if (existing) return existing;
    // Base-36, upper case, 5 characters: short enough to read out on the phone to a broker.
    const tag = (BigInt('0x' + randomBytes(4).toString('hex')) % 36n ** 5n).toString(36).toUpperCase().padStart(5, '0');
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('journal_tag', ?)").run(tag);
    return tag;
  }
}
