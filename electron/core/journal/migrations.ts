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
    description: 'events journal and meta (journal tag, ClOrdID counter)',
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
