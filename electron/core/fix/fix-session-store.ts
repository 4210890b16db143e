import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FixLogEntry, FixLogQuery } from '../broker/broker-port';
import { commitBatch } from '../sqlite/commit-batch';
import type { WalCheckpointer } from '../sqlite/wal-checkpointer';
import { startWalCheckpointer } from '../sqlite/wal-checkpointer';
import { SOH } from './fix-wire';

/**
 * Our own durable FIX session store, one SQLite file per session (WAL, synchronous=NORMAL: a
 * committed row survives the process being killed at any later moment, as the desk journal does).
 *
 * It keeps the next sequence numbers in and out, and every message sent and received, raw with
 * Password (554) and NewPassword (925) masked. Outgoing messages are written here *before* they
 * go to the socket, so a resend request can always be answered from it, also after a restart.
 *
 * Bounded: rows older than `retentionDays` (default 7) and beyond the newest `maxRows` (default
 * 500,000) are deleted, at open and every 1,000 writes. A resend request for a message deleted by
 * that rule is answered with a gap fill (see the resend policy in fix-session.ts).
 *
 * Without a path the store lives in memory (tests, and a desk started without a data folder).
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
  /** Identifies the session (BeginString, CompIDs): a file of another session starts over at 1/1. */
  readonly sessionKey: string;
  readonly retentionDays?: number;
  readonly maxRows?: number;
  /** For the retention rule; default Date.now. */
  readonly now?: () => Date;
}

/**
 * Every write of a message is on the order's path (before the send, after the receive), and a WAL
 * commit costs about one page write per table or index it touches: the messages table has no
 * AUTOINCREMENT (one page of sqlite_sequence less) and one partial index, on outgoing messages only
 * (what a resend reads). Retention pruning walks the rowid, which follows time.
 */
const SCHEMA_VERSION = 2;
const MESSAGES_COLUMNS = `(
  id INTEGER PRIMARY KEY,
  epoch INTEGER NOT NULL,
  direction TEXT NOT NULL,
  seq INTEGER NOT NULL,
  msg_type TEXT NOT NULL,
  poss_dup INTEGER NOT NULL,
  at TEXT NOT NULL,
  raw TEXT NOT NULL
)`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS session (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  session_key TEXT NOT NULL,
  next_in INTEGER NOT NULL,
  next_out INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  last_reset_day TEXT
);
CREATE TABLE IF NOT EXISTS messages ${MESSAGES_COLUMNS};
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_out ON messages (epoch, seq) WHERE direction = 'out';
`;

/** Version 1 (before user_version was set): AUTOINCREMENT ids, indexes on every message. Rebuilt once, ids kept. */
const UPGRADE_FROM_1 = `
CREATE TABLE messages_v2 ${MESSAGES_COLUMNS};
INSERT INTO messages_v2 SELECT id, epoch, direction, seq, msg_type, poss_dup, at, raw FROM messages ORDER BY id;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
`;

const PRUNE_EVERY = 1_000;
const MAX_LOG_PAGE = 1_000;

export class FixSessionStore {
  private readonly db: Database.Database;
  private state: SessionSequences;
  private writes = 0;
  private readonly retentionMs: number;
  private readonly maxRows: number;
  private readonly now: () => Date;
  private readonly insert: Database.Statement;
  private readonly updateIn: Database.Statement;
  private readonly updateOut: Database.Statement;
  private readonly checkpointer: WalCheckpointer | undefined;
  /** Built once: better-sqlite3 compiles a wrapper per `transaction()` call. */
  private readonly writeOutgoing: (seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string, nextOut: number) => void;

  constructor(
    readonly path: string | undefined,
    options: FixSessionStoreOptions,
  ) {
    if (path !== undefined) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path ?? ':memory:');
    if (path !== undefined) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.upgrade();
    this.retentionMs = (options.retentionDays ?? 7) * 86_400_000;
    this.maxRows = options.maxRows ?? 500_000;
    this.now = options.now ?? (() => new Date());
    const row = this.db.prepare('SELECT session_key, next_in, next_out, epoch, last_reset_day FROM session WHERE id = 1').get() as
      | { session_key: string; next_in: number; next_out: number; epoch: number; last_reset_day: string | null }
      | undefined;
    if (row === undefined || row.session_key !== options.sessionKey) {
      const epoch = (row?.epoch ?? 0) + 1;
      this.db
        .prepare('INSERT OR REPLACE INTO session (id, session_key, next_in, next_out, epoch, last_reset_day) VALUES (1, ?, 1, 1, ?, NULL)')
        .run(options.sessionKey, epoch);
      this.state = { nextIn: 1, nextOut: 1, epoch };
    } else {
      this.state = { nextIn: row.next_in, nextOut: row.next_out, epoch: row.epoch, ...(row.last_reset_day !== null && { lastResetDay: row.last_reset_day }) };
    }
    this.insert = this.db.prepare('INSERT INTO messages (epoch, direction, seq, msg_type, poss_dup, at, raw) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.updateIn = this.db.prepare('UPDATE session SET next_in = ? WHERE id = 1');
    this.updateOut = this.db.prepare('UPDATE session SET next_out = ? WHERE id = 1');
    this.writeOutgoing = this.db.transaction(this.writeOutgoingRows.bind(this));
    this.prune();
    this.checkpointer = path !== undefined ? startWalCheckpointer(this.db, path) : undefined;
  }

  get sequences(): SessionSequences {
    return this.state;
  }

  /** Persists an outgoing message and the next outgoing number in one transaction, before the send. */
  recordOutgoing(seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string, nextOut: number): void {
    // Inside a batch (one socket read, a logon's status requests) the batch's commit covers it: no savepoint.
    if (this.db.inTransaction) this.writeOutgoingRows(seqNum, msgType, possDup, at, raw, nextOut);
    else this.writeOutgoing(seqNum, msgType, possDup, at, raw, nextOut);
    this.state = { ...this.state, nextOut };
    this.afterWrite();
  }

  /** Logs an incoming message (also ones not processed: garbled, held, duplicates). */
  recordIncoming(seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string): void {
    this.insert.run(this.state.epoch, 'in', seqNum, msgType, possDup ? 1 : 0, at.toISOString(), maskSecrets(raw));
    this.afterWrite();
  }

  setNextIn(nextIn: number): void {
    if (nextIn === this.state.nextIn) return;
    this.updateIn.run(nextIn);
    this.state = { ...this.state, nextIn };
  }

  setNextOut(nextOut: number): void {
    if (nextOut === this.state.nextOut) return;
    this.updateOut.run(nextOut);
    this.state = { ...this.state, nextOut };
  }

  /** Both numbers back to 1, a new epoch (old messages stay in the log but are never replayed). */
  reset(resetDay?: string): void {
    const epoch = this.state.epoch + 1;
    const day = resetDay ?? this.state.lastResetDay ?? null;
    this.db.prepare('UPDATE session SET next_in = 1, next_out = 1, epoch = ?, last_reset_day = ? WHERE id = 1').run(epoch, day);
    this.state = { nextIn: 1, nextOut: 1, epoch, ...(day !== null && { lastResetDay: day }) };
  }

  /** Our own messages of the current epoch with MsgSeqNum in [from, to], first sends only, by seq. */
  outgoing(from: number, to: number): StoredMessage[] {
    const rows = this.db
      .prepare(
        `SELECT id, direction, seq, msg_type, poss_dup, at, raw FROM messages
         WHERE epoch = ? AND direction = 'out' AND poss_dup = 0 AND seq BETWEEN ? AND ? ORDER BY seq, id`,
      )
      .all(this.state.epoch, from, to) as Row[];
    return rows.map(toStored);
  }

  /** The message log, newest first; raw shown with '|' for SOH. */
  messageLog(query: FixLogQuery): FixLogEntry[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
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
    const sql = `SELECT id, direction, seq, msg_type, poss_dup, at, raw FROM messages ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit) as Row[];
    return rows.map((r) => {
      const s = toStored(r);
      return { id: s.id, direction: s.direction, seqNum: s.seqNum, msgType: s.msgType, possDup: s.possDup, at: s.at, raw: s.raw.split(SOH).join('|') };
    });
  }

  /**
   * Runs `fn` with every write inside one transaction, committed when `fn` returns or throws (what
   * was written was acted on in memory). Nested inside another transaction, it joins it.
   */
  batch<T>(fn: () => T): T {
    return commitBatch(this.db, fn);
  }

  /** Runs `fn` in one transaction (nested calls become savepoints): all of it is stored, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** A value kept beside the session (the simulator keeps its order book here, in the same transactions as its messages). */
  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  setLastResetDay(day: string): void {
    this.db.prepare('UPDATE session SET last_reset_day = ? WHERE id = 1').run(day);
    this.state = { ...this.state, lastResetDay: day };
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  private upgrade(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`FIX session store ${this.path ?? ''} has schema version ${version}, newer than this desk understands (${SCHEMA_VERSION})`);
    if (version === SCHEMA_VERSION) return;
    this.db.transaction(() => {
      const legacy = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages'").get() !== undefined;
      if (legacy) this.db.exec(UPGRADE_FROM_1);
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  private writeOutgoingRows(seqNum: number, msgType: string, possDup: boolean, at: Date, raw: string, nextOut: number): void {
    this.insert.run(this.state.epoch, 'out', seqNum, msgType, possDup ? 1 : 0, at.toISOString(), maskSecrets(raw));
    if (nextOut !== this.state.nextOut) this.updateOut.run(nextOut);
  }

  private afterWrite(): void {
    if (++this.writes % PRUNE_EVERY === 0) this.prune();
  }

  private prune(): void {
    const cutoff = new Date(this.now().getTime() - this.retentionMs).toISOString();
    // Rows are in time order by id: the first one inside the retention window bounds the delete.
    const firstKept = this.db.prepare('SELECT id FROM messages WHERE at >= ? ORDER BY id LIMIT 1').pluck().get(cutoff) as number | undefined;
    if (firstKept === undefined) this.db.prepare('DELETE FROM messages WHERE at < ?').run(cutoff);
    else this.db.prepare('DELETE FROM messages WHERE id < ?').run(firstKept);
    const max = (this.db.prepare('SELECT max(id) AS m FROM messages').get() as { m: number | null }).m;
    if (max !== null && max > this.maxRows) this.db.prepare('DELETE FROM messages WHERE id <= ?').run(max - this.maxRows);
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
