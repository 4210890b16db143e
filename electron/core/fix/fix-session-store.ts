import { mkdirSync } from 'node:fs';
import { makePrivate } from '../files/private-files';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FixLogEntry, FixLogQuery } from '../broker/broker-port';
import { afterCommit, beforeCommit, commitBatch, onCommitFailed } from '../sqlite/commit-batch';
import type { WalCheckpointer, WalProblem } from '../sqlite/wal-checkpointer';
import { startWalCheckpointer } from '../sqlite/wal-checkpointer';
import type { Clock } from '../time/clock';
import { SOH } from './fix-wire';

/**
 * Our own durable FIX session store: the next sequence numbers in and out, and every message sent
 * and received, raw with Password (554) and NewPassword (925) masked. Outgoing messages are written
 * here *before* they go to the socket, so a resend request can always be answered from it, also
 * after a restart. SQLite (WAL, synchronous=NORMAL): a committed row survives the process being
 * killed at any later moment, as the desk journal does.
 *
 * Where it lives:
 * - **In the desk journal's database** (`FixSessionStore.inDatabase`, what the desk uses): one
 *   transaction covers the desk's events and the session's messages, so an order costs one commit
 *   on its way out and a read from the socket one commit on its way in. Every session of the desk
 *   has a row in `fix_sessions`.
 * - **In a file of its own** (the simulator, tests), or in memory without a path: its tables are
 *   created when missing (`OWN_FILE_TABLES`).
 *
 * Bounded: rows older than `retentionDays` (default 7) and beyond the newest `maxRows` (default
 * 500,000, of all sessions in the database) are deleted, at open and every 1,000 writes. A resend
 * request for a message deleted by that rule is answered with a gap fill (fix-session.ts).
 */

export interface StoredMessage {
  readonly id: number;
  readonly direction: 'in' | 'out';
  readonly seqNum: number;
  readonly msgType: string;
  readonly possDup: boolean;
  readonly at: string;
  /** SOH-delimited, passwords masked. */
  readonly raw: string;
}

export interface SessionSequences {
  readonly nextIn: number;
  readonly nextOut: number;
  /** Increases at every sequence reset: a resend only replays messages of the current epoch. */
  readonly epoch: number;
  /** The schedule day (YYYY-MM-DD in the schedule's time zone) of the last daily reset. */
  readonly lastResetDay?: string;
}

export interface FixSessionStoreOptions {
  /** Identifies the session (BeginString, CompIDs): a store of another session starts over at 1/1. */
  readonly sessionKey: string;
  readonly retentionDays?: number;
  readonly maxRows?: number;
  /**
   * Which received application messages the log keeps (default: all). A market-data session keeps
   * its session messages and none of the quotes: they are worth nothing once old and are never resent.
   */
  readonly keepIncoming?: (msgType: string) => boolean;
  /** The retention rule's time, and (a file of its own) the cadence of its WAL checkpoints. */
  readonly clock: Clock;
}

export interface OwnFileStoreOptions extends FixSessionStoreOptions {
  /**
   * A file of its own checkpoints its WAL off the writer's thread when this is given, and reports a
   * failure of that here; without it SQLite checkpoints on the writer's thread (tests).
   */
  readonly onProblem?: (problem: WalProblem) => void;
}

export interface SharedStoreOptions extends FixSessionStoreOptions {
  /** The session's name in the database (one row of `fix_sessions`). */
  readonly name: string;
}

/**
 * The tables of a store in a file of its own (the simulator, tests), created when missing. In the
 * journal's database they are the journal's migration 4 (journal/migrations.ts: the same tables, a
 * test keeps them equal); `fix_session_meta` is the simulator's (its order book, in the same
 * transactions as its messages).
 */
export const OWN_FILE_TABLES = `
CREATE TABLE IF NOT EXISTS fix_sessions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  session_key TEXT NOT NULL,
  next_in INTEGER NOT NULL,
  next_out INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  last_reset_day TEXT
);
CREATE TABLE IF NOT EXISTS fix_messages (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  direction TEXT NOT NULL,
  seq INTEGER NOT NULL,
  msg_type TEXT NOT NULL,
  poss_dup INTEGER NOT NULL,
  at TEXT NOT NULL,
  raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fix_messages_out ON fix_messages (session_id, epoch, seq) WHERE direction = 'out';
CREATE TABLE IF NOT EXISTS fix_session_meta (session_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (session_id, key));
`;

const PRUNE_EVERY = 1_000;
const MAX_LOG_PAGE = 1_000;
const FILE_SESSION = 'session';

export class FixSessionStore {
  private readonly db: Database.Database;
  private readonly sessionId: number;
  private state: SessionSequences;
  private writes = 0;
  /** The next incoming number moved in the open batch and is written when it commits. */
  private nextInDue = false;
  private readonly retentionMs: number;
  private readonly maxRows: number;
  private readonly keepIncoming: ((msgType: string) => boolean) | undefined;
  private readonly clock: Clock;
  private readonly insert: Database.Statement;
  private readonly updateIn: Database.Statement;
  private readonly updateOut: Database.Statement;
  private readonly selectOutgoingPage: Database.Statement;
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly stopListening: () => void;
  /** Built once: better-sqlite3 compiles a wrapper per `transaction()` call. */
  private readonly writeOutgoing: (seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string, nextOut: number) => void;
  /** False when the database belongs to someone else (the journal): close() leaves it open. */
  private readonly ownsDatabase: boolean;

  /** A store in a file of its own (or in memory without a path). */
  constructor(path: string | undefined, options: OwnFileStoreOptions);
  constructor(path: string | undefined, options: FixSessionStoreOptions, shared: { db: Database.Database; name: string });
  constructor(
    readonly path: string | undefined,
    options: FixSessionStoreOptions | OwnFileStoreOptions,
    shared?: { db: Database.Database; name: string },
  ) {
    if (shared !== undefined) {
      this.db = shared.db;
      this.ownsDatabase = false;
    } else {
      if (path !== undefined) mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path ?? ':memory:');
      this.ownsDatabase = true;
      if (path !== undefined) {
        makePrivate(path); // before anything is written: its -wal and -shm take its mode
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
      }
    }
    if (shared === undefined) this.db.exec(OWN_FILE_TABLES);
    else if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fix_sessions'").get() === undefined) {
      throw new Error(`${shared.db.name} has no FIX session tables: the journal's migrations create them (open the journal first)`);
    }
    this.retentionMs = (options.retentionDays ?? 7) * 86_400_000;
    this.maxRows = options.maxRows ?? 500_000;
    this.keepIncoming = options.keepIncoming;
    this.clock = options.clock;
    const name = shared?.name ?? FILE_SESSION;
    const row = this.db.prepare('SELECT id, session_key, next_in, next_out, epoch, last_reset_day FROM fix_sessions WHERE name = ?').get(name) as
      | { id: number; session_key: string; next_in: number; next_out: number; epoch: number; last_reset_day: string | null }
      | undefined;
    if (row === undefined) {
      this.sessionId = Number(this.db.prepare('INSERT INTO fix_sessions (name, session_key, next_in, next_out, epoch) VALUES (?, ?, 1, 1, 1)').run(name, options.sessionKey).lastInsertRowid);
      this.state = { nextIn: 1, nextOut: 1, epoch: 1 };
    } else if (row.session_key !== options.sessionKey) {
      const epoch = row.epoch + 1;
      this.db
        .prepare('UPDATE fix_sessions SET session_key = ?, next_in = 1, next_out = 1, epoch = ?, last_reset_day = NULL WHERE id = ?')
        .run(options.sessionKey, epoch, row.id);
      this.sessionId = row.id;
      this.state = { nextIn: 1, nextOut: 1, epoch };
    } else {
      this.sessionId = row.id;
      this.state = { nextIn: row.next_in, nextOut: row.next_out, epoch: row.epoch, ...(row.last_reset_day !== null && { lastResetDay: row.last_reset_day }) };
    }
    this.insert = this.db.prepare('INSERT INTO fix_messages (session_id, epoch, direction, seq, msg_type, poss_dup, at, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.updateIn = this.db.prepare('UPDATE fix_sessions SET next_in = ? WHERE id = ?');
    this.updateOut = this.db.prepare('UPDATE fix_sessions SET next_out = ? WHERE id = ?');
    this.selectOutgoingPage = this.db.prepare(
      `SELECT id, direction, seq, msg_type, poss_dup, at, raw FROM fix_messages
       WHERE session_id = ? AND epoch = ? AND direction = 'out' AND poss_dup = 0 AND seq BETWEEN ? AND ? ORDER BY seq, id LIMIT ?`,
    );
    this.writeOutgoing = this.db.transaction(this.writeOutgoingRows.bind(this));
    this.prune();
    // A failed commit (a full disk) stored none of the numbers this store moved meanwhile: read them back.
    this.stopListening = onCommitFailed(this.db, () => this.readBack());
    this.checkpointer =
      shared === undefined && path !== undefined && 'onProblem' in options && options.onProblem !== undefined
        ? startWalCheckpointer({ db: this.db, path, clock: options.clock, onProblem: options.onProblem })
        : undefined;
  }

  /**
   * A session's store inside a database someone else owns (the desk journal's): its writes join the
   * owner's transaction when one is open, and `afterCommit` waits for that transaction.
   */
  static inDatabase(db: Database.Database, options: SharedStoreOptions): FixSessionStore {
    return new FixSessionStore(undefined, options, { db, name: options.name });
  }

  get sequences(): SessionSequences {
    return this.state;
  }

  /** Persists an outgoing message and the next outgoing number in one transaction, before the send. */
  recordOutgoing(seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string, nextOut: number): void {
    // Inside a batch (a command, one socket read, a logon's status requests) the batch's commit covers it: no savepoint.
    if (this.db.inTransaction) this.writeOutgoingRows(seqNum, msgType, possDup, at, raw, nextOut);
    else this.writeOutgoing(seqNum, msgType, possDup, at, raw, nextOut);
    this.state = { ...this.state, nextOut };
    this.afterWrite();
  }

  /** Logs an incoming message (also ones not processed: garbled, held, duplicates). */
  recordIncoming(seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string): void {
    if (this.keepIncoming !== undefined && !this.keepIncoming(msgType)) return;
    this.insert.run(this.sessionId, this.state.epoch, 'in', seqNum, msgType, possDup ? 1 : 0, at.toISOString(), maskSecrets(raw));
    this.afterWrite();
  }

  /** Stored once per batch (a socket read of many messages moves it once), just before its commit; now outside one. */
  setNextIn(nextIn: number): void {
    if (nextIn === this.state.nextIn) return;
    this.state = { ...this.state, nextIn };
    if (this.nextInDue) return;
    this.nextInDue = true;
    beforeCommit(this.db, this.storeNextIn);
  }

  private readonly storeNextIn = (): void => {
    this.nextInDue = false;
    this.updateIn.run(this.state.nextIn, this.sessionId);
  };

  setNextOut(nextOut: number): void {
    if (nextOut === this.state.nextOut) return;
    this.updateOut.run(nextOut, this.sessionId);
    this.state = { ...this.state, nextOut };
  }

  /** Both numbers back to 1, a new epoch (old messages stay in the log but are never replayed). */
  reset(resetDay?: string): void {
    const epoch = this.state.epoch + 1;
    const day = resetDay ?? this.state.lastResetDay ?? null;
    this.db.prepare('UPDATE fix_sessions SET next_in = 1, next_out = 1, epoch = ?, last_reset_day = ? WHERE id = ?').run(epoch, day, this.sessionId);
    this.state = { nextIn: 1, nextOut: 1, epoch, ...(day !== null && { lastResetDay: day }) };
  }

  /** Our own messages of the current epoch with MsgSeqNum in [from, to], first sends only, by seq. */
  outgoing(from: number, to: number): StoredMessage[] {
    const rows = this.db
      .prepare(
        `SELECT id, direction, seq, msg_type, poss_dup, at, raw FROM fix_messages
         WHERE session_id = ? AND epoch = ? AND direction = 'out' AND poss_dup = 0 AND seq BETWEEN ? AND ? ORDER BY seq, id`,
      )
      .all(this.sessionId, this.state.epoch, from, to) as Row[];
    return rows.map(toStored);
  }

  /** Like `outgoing`, at most `limit` messages from `from` on (a replay reads the store page by page). */
  outgoingPage(from: number, to: number, limit: number): StoredMessage[] {
    const rows = this.selectOutgoingPage.all(this.sessionId, this.state.epoch, from, to, limit) as Row[];
    return rows.map(toStored);
  }

  /** The message log, newest first; raw shown with '|' for SOH. */
  messageLog(query: FixLogQuery): FixLogEntry[] {
    const where: string[] = ['session_id = ?'];
    const params: Array<string | number> = [this.sessionId];
    if (query.beforeId !== undefined) {
      where.push('id < ?');
      params.push(query.beforeId);
    }
    if (query.direction !== undefined) {
      where.push('direction = ?');
      params.push(query.direction);
    }
    if (query.msgType !== undefined && query.msgType !== '') {
      where.push('msg_type = ?');
      params.push(query.msgType);
    }
    if (query.search !== undefined && query.search !== '') {
      where.push("raw LIKE ? ESCAPE '\\'");
      params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`).split('|').join(SOH)}%`);
    }
    const limit = Math.max(1, Math.min(MAX_LOG_PAGE, Math.floor(query.limit)));
    const sql = `SELECT id, direction, seq, msg_type, poss_dup, at, raw FROM fix_messages WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit) as Row[];
    return rows.map((r) => {
      const s = toStored(r);
      return { id: s.id, direction: s.direction, seqNum: s.seqNum, msgType: s.msgType, possDup: s.possDup, at: s.at, raw: s.raw.split(SOH).join('|') };
    });
  }

  /**
   * Runs `fn` with every write inside one transaction, committed when `fn` returns or throws (what
   * was written was acted on in memory). Nested inside another batch, it joins it.
   */
  batch<T>(fn: () => T): T {
    return commitBatch(this.db, fn);
  }

  /** Runs `fn` once what was written so far is committed: at the end of the open batch, or now (`onFail` if that commit fails). */
  afterCommit(fn: () => void, onFail?: () => void): void {
    afterCommit(this.db, fn, onFail);
  }

  /** Runs `fn` in one transaction (nested calls become savepoints): all of it is stored, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** A value kept beside the session (the simulator keeps its order book here, in the same transactions as its messages). */
  getMeta(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM fix_session_meta WHERE session_id = ? AND key = ?').pluck().get(this.sessionId, key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO fix_session_meta (session_id, key, value) VALUES (?, ?, ?) ON CONFLICT(session_id, key) DO UPDATE SET value = excluded.value')
      .run(this.sessionId, key, value);
  }

  setLastResetDay(day: string): void {
    this.db.prepare('UPDATE fix_sessions SET last_reset_day = ? WHERE id = ?').run(day, this.sessionId);
    this.state = { ...this.state, lastResetDay: day };
  }

  close(): void {
    this.stopListening();
    this.checkpointer?.stop();
    if (this.ownsDatabase && this.db.open) this.db.close();
  }

  /** The sequence numbers as stored. */
  private readBack(): void {
    this.nextInDue = false; // its write was rolled back with the rest
    const row = this.db.prepare('SELECT next_in, next_out, epoch, last_reset_day FROM fix_sessions WHERE id = ?').get(this.sessionId) as
      | { next_in: number; next_out: number; epoch: number; last_reset_day: string | null }
      | undefined;
    if (row === undefined) return;
    this.state = { nextIn: row.next_in, nextOut: row.next_out, epoch: row.epoch, ...(row.last_reset_day !== null && { lastResetDay: row.last_reset_day }) };
  }

  private writeOutgoingRows(seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string, nextOut: number): void {
    this.insert.run(this.sessionId, this.state.epoch, 'out', seqNum, msgType, possDup ? 1 : 0, at.toISOString(), maskSecrets(raw));
    if (nextOut !== this.state.nextOut) this.updateOut.run(nextOut, this.sessionId);
  }

  private afterWrite(): void {
    if (++this.writes % PRUNE_EVERY === 0) this.prune();
  }

  /** Retention is one rule for every session in the database. */
  private prune(): void {
    const cutoff = new Date(this.clock.now().getTime() - this.retentionMs).toISOString();
    // Rows are in time order by id: the first one inside the retention window bounds the delete.
    const firstKept = this.db.prepare('SELECT id FROM fix_messages WHERE at >= ? ORDER BY id LIMIT 1').pluck().get(cutoff) as number | undefined;
    if (firstKept === undefined) this.db.prepare('DELETE FROM fix_messages WHERE at < ?').run(cutoff);
    else this.db.prepare('DELETE FROM fix_messages WHERE id < ?').run(firstKept);
    const max = this.db.prepare('SELECT max(id) FROM fix_messages').pluck().get() as number | null;
    if (max !== null && max > this.maxRows) this.db.prepare('DELETE FROM fix_messages WHERE id <= ?').run(max - this.maxRows);
  }
}

interface Row {
  id: number;
  direction: 'in' | 'out';
  seq: number;
  msg_type: string;
  poss_dup: number;
  at: string;
  raw: string;
}

function toStored(r: Row): StoredMessage {
  return { id: r.id, direction: r.direction, seqNum: r.seq, msgType: r.msg_type, possDup: r.poss_dup === 1, at: r.at, raw: r.raw };
}

/** Password (554) and NewPassword (925) never reach the store, a log or a screen. */
export function maskSecrets(text: string): string {
  return text.includes('554=') || text.includes('925=') ? text.replace(/(^|\x01|\|)(554|925)=[^\x01|]*/g, '$1$2=***') : text;
}
