import { closeSync, fsync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { DeskEvent } from './desk-events';
import { orderIdOf } from './desk-events';
import type { Journal } from './journal';
import { migrate } from './migrations';

/**
 * Checkpoints (copying the WAL back into the database file, with its fsyncs) run on a worker
 * thread with its own connection, so they never stall the desk's thread: with SQLite's automatic
 * checkpoint, every ~1,000 pages one append paid for the copy and two fsyncs (measured: 59 µs per
 * appended execution report on average, 31 µs without). A PASSIVE checkpoint never blocks the writer.
 */
const CHECKPOINTER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;
const CHECKPOINT_INTERVAL_MS = 100;

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
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly readCounter: Database.Statement;
  private readonly writeCounter: Database.Statement;
  private readonly tag: string;
  private count: number;
  private dirty = false;
  private syncing = false;
  private walFd: number | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private checkpointer: Worker | undefined;

  constructor(
    readonly path: string,
    options: SqliteJournalOptions = {},
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.tag = this.ensureTag();
    this.insert = this.db.prepare('INSERT INTO events (at, type, order_id, payload) VALUES (?, ?, ?, ?)');
    this.readCounter = this.db.prepare("SELECT value FROM meta WHERE key = 'next_cl_ord_id'").pluck();
    this.writeCounter = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_cl_ord_id', ?)");
    this.count = this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const interval = options.syncIntervalMs ?? 5;
    if (interval > 0) {
      this.syncTimer = setInterval(() => this.syncIfDirty(), interval);
      this.syncTimer.unref();
      this.checkpointer = this.startCheckpointer();
    }
  }

  get eventCount(): number {
    return this.count;
  }

  append(event: DeskEvent): number {
    const seq = this.write(event);
    this.dirty = true;
    return seq;
  }

  appendWithClOrdId(build: (clOrdId: string) => DeskEvent): { seq: number; event: DeskEvent } {
    const run = this.db.transaction(() => {
      const next = Number((this.readCounter.get() as string | undefined) ?? '1');
      this.writeCounter.run(String(next + 1));
      const event = build(`${this.tag}-${next}`);
      return { seq: this.write(event), event };
    });
    const result = run();
    this.dirty = true;
    return result;
  }

  batch<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.db.exec('BEGIN');
    try {
      return fn();
    } finally {
      // Commit even when fn threw: every event appended was applied to the book before the throw.
      if (this.db.inTransaction) this.db.exec('COMMIT');
      this.dirty = true;
    }
  }

  eventsForOrder(orderId: string): Array<{ seq: number; event: DeskEvent }> {
    const rows = this.db.prepare('SELECT seq, payload FROM events WHERE order_id = ? ORDER BY seq').raw().all(orderId) as Array<[number, string]>;
    return rows.map(([seq, payload]) => ({ seq, event: JSON.parse(payload) as DeskEvent }));
  }

  replay(visit: (event: DeskEvent, seq: number) => void): void {
    const rows = this.db.prepare('SELECT seq, payload FROM events ORDER BY seq').raw().iterate() as IterableIterator<
      [number, string]
    >;
    for (const [seq, payload] of rows) visit(JSON.parse(payload) as DeskEvent, seq);
  }

  close(): void {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.checkpointer?.postMessage('stop');
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
    this.count++;
    return Number(info.lastInsertRowid);
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

  /** Falls back to SQLite's automatic checkpoint (on this thread) if the worker cannot start. */
  private startCheckpointer(): Worker | undefined {
    try {
      const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { path: this.path, modulePath, intervalMs: CHECKPOINT_INTERVAL_MS } });
      worker.unref();
      worker.on('error', () => {
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
      this.db.pragma('wal_autocheckpoint = 0');
      return worker;
    } catch {
      return undefined;
    }
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
