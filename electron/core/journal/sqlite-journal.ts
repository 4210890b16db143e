import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DeskEvent } from './desk-events';
import { orderIdOf } from './desk-events';
import type { Journal } from './journal';
import { afterCommit, commitBatch, groupCommit, onCommitFailed } from '../sqlite/commit-batch';
import type { WalCheckpointer, WalProblem } from '../sqlite/wal-checkpointer';
import { startWalCheckpointer } from '../sqlite/wal-checkpointer';
import type { Clock } from '../time/clock';
import { every } from '../time/clock';
import { PRIVATE_DIR_MODE, makePrivate } from '../files/private-files';
import { migrate } from './migrations';
import type { SnapshotStore } from './snapshot-store';
import { SqliteSnapshotStore } from './snapshot-store';

/** Rows read per query on replay: one `all()` per chunk reads ~30% faster than a row iterator. */
const REPLAY_CHUNK = 2_000;

export interface SqliteJournalOptions {
  /**
   * Group sync (power-loss durability) and WAL checkpoints off the writer's thread, on the injected
   * clock. Without it the journal only commits (process-crash safe, not power-loss safe: tests, and
   * benchmarks of the process-crash guarantee) and SQLite checkpoints by itself.
   */
  readonly sync?: {
    readonly clock: Clock;
    /** How often the WAL is fsynced when events were committed since the last sync. Default 5 ms. */
    readonly intervalMs?: number;
    /** A checkpoint failing, a WAL not shrinking: the desk raises it as an alert. */
    readonly onProblem: (problem: WalProblem) => void;
    /**
     * The checkpoints' thread (a connection of its own) starts at `startCheckpoints()`: until then
     * this connection is the only one, so closing it unwritten leaves no -wal or -shm behind.
     */
    readonly checkpointsLater?: boolean;
  };
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
  private syncTimer: { stop(): void } | undefined;
  private checkpointer: WalCheckpointer | undefined;
  private startCheckpointer: (() => WalCheckpointer) | undefined;
  private readonly newest: Database.Statement;
  private forOrder: Database.Statement | undefined;
  readonly snapshots: SnapshotStore;

  constructor(
    readonly path: string,
    options: SqliteJournalOptions = {},
  ) {
    fs.mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    this.db = new Database(path);
    if (this.db.memory === false) makePrivate(path); // before anything is written: SQLite gives the -wal and -shm the journal's mode
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.tag = this.ensureTag();
    this.insert = this.db.prepare('INSERT INTO events (at, type, order_id, payload) VALUES (?, ?, ?, ?)');
    this.insertAt = this.db.prepare('INSERT INTO events (seq, at, type, order_id, payload) VALUES (?, ?, ?, ?, ?)');
    const storedSeq = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck();
    this.lastSeq = (storedSeq.get() as number | undefined) ?? 0;
    // A failed commit (a full disk) stored none of its events: number on from what is stored.
    onCommitFailed(this.db, () => {
      this.lastSeq = (storedSeq.get() as number | undefined) ?? 0;
      this.count = undefined;
    });
    this.newest = this.db.prepare('SELECT max(seq) FROM events').pluck();
    this.snapshots = new SqliteSnapshotStore(this.db);
    const sync = options.sync;
    if (sync !== undefined) {
      this.syncTimer = every(sync.clock, sync.intervalMs ?? 5, () => this.syncIfDirty(), { background: true });
      this.startCheckpointer = () => startWalCheckpointer({ db: this.db, path, clock: sync.clock, onProblem: sync.onProblem });
      if (sync.checkpointsLater !== true) this.startCheckpoints();
    }
  }

  /** Starts the checkpoints' thread held by `checkpointsLater` (once; nothing without `sync`). */
  startCheckpoints(): void {
    if (this.startCheckpointer === undefined || !this.db.open) return;
    this.checkpointer = this.startCheckpointer();
    this.startCheckpointer = undefined;
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

  afterCommit(fn: () => void, onFail?: () => void): void {
    afterCommit(this.db, fn, onFail);
  }

  eventsForOrder(orderId: string, beforeSeq = Number.MAX_SAFE_INTEGER): Array<{ seq: number; event: DeskEvent }> {
    this.forOrder ??= this.db.prepare('SELECT seq, payload FROM events WHERE order_id = ? AND seq < ? ORDER BY seq').raw();
    const rows = this.forOrder.all(orderId, beforeSeq) as Array<[number, string]>;
    return rows.map(([seq, payload]) => ({ seq, event: JSON.parse(payload) as DeskEvent }));
  }

  /** Our ClOrdIDs are `<tag>-<seq>`: the event that carries one is found by its number, with no index. */
  orderIdOfClOrdId(clOrdId: string): string | undefined {
    const m = /^(.+)-(\d+)$/.exec(clOrdId);
    if (m === null || m[1] !== this.tag) return undefined;
    const row = this.db.prepare('SELECT order_id, payload FROM events WHERE seq = ?').raw().get(Number(m[2])) as [string | null, string] | undefined;
    if (row === undefined || row[0] === null) return undefined;
    const event = JSON.parse(row[1]) as DeskEvent;
    return 'clOrdId' in event && event.clOrdId === clOrdId ? row[0] : undefined;
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
    this.syncTimer?.stop();
    this.checkpointer?.stop();
    this.checkpointer = undefined;
    this.startCheckpointer = undefined;
    if (this.walFd !== undefined) {
      if (this.dirty) fs.fsyncSync(this.walFd);
      fs.closeSync(this.walFd);
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
    fs.fsync(this.walFd, () => {
      this.syncing = false;
    });
  }

  private openWal(): number | undefined {
    try {
      return fs.openSync(`${this.path}-wal`, 'r');
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
