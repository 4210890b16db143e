import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Overwrites a leaf page of the journal's events table in the first half of the file with garbage:
 * damage a start from a snapshot never reads (its events are older than the snapshot). A journal
 * left with a -wal is read read-only (a read-write close would checkpoint the -wal into the file),
 * and the page damaged is one the -wal holds no newer copy of (else the damage would be unseen).
 */
export function damageAnEventsPage(journalPath: string): number {
  const withWal = existsSync(`${journalPath}-wal`);
  const db = new Database(journalPath, { readonly: withWal });
  let page: number;
  let pageSize: number;
  try {
    const inWal = new Set(withWal ? walPages(`${journalPath}-wal`) : []);
    const leaves = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[]).filter((p) => !inWal.has(p));
    if (leaves.length < 4) throw new Error(`too few pages of events to damage one in the middle (${leaves.length})`);
    page = leaves[Math.floor(leaves.length / 3)] as number;
    pageSize = db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
  const fd = openSync(journalPath, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return page;
}

/** The page numbers of every frame in a -wal (its 32-byte header, then frames of a 24-byte header and a page). */
export function walPages(walPath: string): number[] {
  const wal = readFileSync(walPath);
  if (wal.length < 32) return [];
  const pageSize = wal.readUInt32BE(8);
  const pages: number[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) pages.push(wal.readUInt32BE(at));
  return pages;
}
