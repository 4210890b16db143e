import type Database from 'better-sqlite3';

/**
 * Numbered schema migrations, applied in order inside one transaction each; PRAGMA user_version
 * records the last one applied. Never edit a released migration: add the next number.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events journal and meta (the journal tag)',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          type TEXT NOT NULL,
          order_id TEXT,
          payload TEXT NOT NULL
        ) STRICT;
        CREATE INDEX events_by_order ON events(order_id, seq);
      `);
    },
  },
  {
    version: 2,
    description: 'snapshots of the state folded from the events (start = newest usable snapshot + the events after it)',
    up(db) {
      // snapshots: seq = the last event folded in; anchor = that event's type@at, checked at load (a
      // snapshot never applies to events it was not made from); format = the container format
      // (journal/snapshot-codec.ts); manifest = its sections, parts and the hashes of its blocks.
      // snapshot_blocks: the blocks, content-addressed (a block unchanged since the last snapshot is
      // stored once); snapshot_block_refs: which snapshot lists which block.
      db.exec(`
        CREATE TABLE snapshots (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          seq INTEGER NOT NULL,
          anchor TEXT NOT NULL,
          created_at TEXT NOT NULL,
          format INTEGER NOT NULL,
          checksum TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          manifest BLOB NOT NULL
        ) STRICT;
        CREATE INDEX snapshots_by_seq ON snapshots(seq);
        CREATE TABLE snapshot_blocks (
          hash TEXT PRIMARY KEY,
          data BLOB NOT NULL
        ) STRICT;
        CREATE TABLE snapshot_block_refs (
          snapshot_id INTEGER NOT NULL,
          hash TEXT NOT NULL,
          PRIMARY KEY (snapshot_id, hash)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX snapshot_block_refs_by_hash ON snapshot_block_refs(hash);
      `);
    },
  },
  {
    version: 3,
    description: 'order summaries: one row per order as the blotter shows it, written behind the journal (search across days)',
    up(db) {
      // order_summaries: the fold's view of each order (desk/order-summaries.ts), upserted behind
      // the journal, coalesced (meta 'summaries_seq': how far); seq = the last event folded in. Text collates NOCASE where people type
      // it. Secondary indexes end in created_at (WITHOUT ROWID: the primary key order_id follows),
      // so a page newest-first under any one filter is an index range. A partial index serves the
      // view whose orders are few among many days (needs attention); one for working orders would be
      // rewritten by every fill (measured: a third more per upsert), so that view scans by date.
      // order_cl_ord_ids: every ClOrdID an order used besides its own id (amends, cancels).
      db.exec(`
        CREATE TABLE order_summaries (
          order_id TEXT PRIMARY KEY,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          broker TEXT NOT NULL COLLATE NOCASE,
          account TEXT NOT NULL COLLATE NOCASE,
          symbol TEXT NOT NULL COLLATE NOCASE,
          side TEXT NOT NULL,
          order_type TEXT NOT NULL,
          time_in_force TEXT NOT NULL,
          expire_date TEXT,
          quantity TEXT NOT NULL,
          limit_price TEXT,
          stop_price TEXT,
          status TEXT NOT NULL,
          cum_qty TEXT NOT NULL,
          leaves_qty TEXT NOT NULL,
          avg_px TEXT NOT NULL,
          cl_ord_id TEXT NOT NULL,
          live_cl_ord_id TEXT NOT NULL,
          broker_order_id TEXT,
          text TEXT,
          pending TEXT,
          uncertain TEXT,
          adopted INTEGER NOT NULL,
          version INTEGER NOT NULL,
          seq INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX order_summaries_by_created ON order_summaries(created_at);
        CREATE INDEX order_summaries_by_symbol ON order_summaries(symbol, created_at);
        CREATE INDEX order_summaries_by_account ON order_summaries(account, created_at);
        CREATE INDEX order_summaries_by_broker ON order_summaries(broker, created_at);
        CREATE INDEX order_summaries_attention ON order_summaries(created_at)
          WHERE uncertain IS NOT NULL OR adopted = 1;
        CREATE TABLE order_cl_ord_ids (
          cl_ord_id TEXT NOT NULL,
          order_id TEXT NOT NULL,
          PRIMARY KEY (cl_ord_id, order_id)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 4,
    description: "the FIX sessions' stores (sequence numbers, every message both ways), in the journal's transactions",
    up(db) {
      // One row per session; its messages. Lean because it is written on the order's path: a WAL
      // commit costs about one page write per table or index touched, so no AUTOINCREMENT and one
      // partial index (the outgoing messages of a session: what a resend reads). See fix-session-store.ts.
      db.exec(`
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
      `);
    },
  },
  {
    version: 5,
    description: 'order summaries name the instrument by its stable id, with its class, currency and settlement date',
    up(db) {
      // instrument_id is what an order refers to (symbol stays the display symbol, searched by people).
      db.exec(`
        ALTER TABLE order_summaries ADD COLUMN instrument_id TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
        ALTER TABLE order_summaries ADD COLUMN asset_class TEXT NOT NULL DEFAULT '';
        ALTER TABLE order_summaries ADD COLUMN currency TEXT NOT NULL DEFAULT '';
        ALTER TABLE order_summaries ADD COLUMN settl_date TEXT;
        CREATE INDEX order_summaries_by_instrument ON order_summaries(instrument_id, created_at);
      `);
    },
  },
  {
    version: 6,
    description: 'order summaries say how to value an order: its value factor (multiplier, % of par, pence) and currency',
    up(db) {
      db.exec(`
        ALTER TABLE order_summaries ADD COLUMN value_factor TEXT;
        ALTER TABLE order_summaries ADD COLUMN value_currency TEXT;
      `);
    },
  },
  {
    version: 7,
    description: "order summaries keep the pre-trade checks' word on each order (refusing codes, or an override)",
    up(db) {
      db.exec(`ALTER TABLE order_summaries ADD COLUMN risk TEXT;`);
    },
  },
  {
    version: 8,
    description: "order summaries say whose algo works each order: its algo parent, or the broker's algo it was routed to",
    up(db) {
      db.exec(`
        ALTER TABLE order_summaries ADD COLUMN parent_id TEXT;
        ALTER TABLE order_summaries ADD COLUMN broker_algo TEXT;
      `);
    },
  },
  {
    version: 9,
    description: 'order summaries without the index by instrument id: no search reads it, every new order wrote it',
    up(db) {
      // EXPLAIN QUERY PLAN of every search shape (desk/order-summaries.ts) uses the others: by created
      // (all, working, done, a range, a cursor), by symbol, account and broker (the text search and its
      // filters), the partial one (needs attention). None filters by instrument_id.
      db.exec('DROP INDEX IF EXISTS order_summaries_by_instrument;');
    },
  },
];

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`journal schema version ${current} is newer than this desk understands (${latest}): upgrade the desk`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}
