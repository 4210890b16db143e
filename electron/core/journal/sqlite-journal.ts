import { closeSync, fsync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { DeskEvent } from './desk-events';
import { orderIdOf } from './desk-events';
import type { Journal } from './journal';
import { migrate } from './migrations';

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
